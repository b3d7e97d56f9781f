package org.complainthub.channel.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Mail for the tests: the fixtures under email/automated, or text written in a test (LF turned into CRLF). */
final class Eml {

    private static final Session SESSION = Session.getInstance(new Properties());

    private Eml() {
    }

    static MimeMessage fixture(String name) {
        try (InputStream in = Eml.class.getResourceAsStream("/email/automated/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new MimeMessage(SESSION, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static MimeMessage text(String text) {
        byte[] bytes = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            return new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
