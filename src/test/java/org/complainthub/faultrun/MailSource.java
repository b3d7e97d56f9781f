package org.complainthub.faultrun;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Customers' mails, delivered over SMTP into the intake mailbox of a GreenMail server that lives in the run's JVM (so
 * it keeps running while the hub is killed); the hub reads it over IMAP. A mail is taken when the hub has moved it out
 * of the inbox: counted at the end by the folder each mail is in.
 */
final class MailSource implements AutoCloseable {

    static final String MAILBOX = "complaints@shop.example";
    static final String PASSWORD = "fault-run-mail-secret";

    private final GreenMail greenMail;
    private final Session smtp;
    private final ExecutorService senders = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "smtp-sender");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong smtpFailures = new AtomicLong();

    MailSource(GreenMail greenMail) {
        this.greenMail = greenMail;
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(greenMail.getSmtp().getPort()));
        this.smtp = Session.getInstance(p);
    }

    /** Sends the mail (retrying a failed SMTP transaction, which GreenMail should never give). */
    void send(Unit u, String text, String from) {
        senders.execute(() -> {
            for (int attempt = 0; attempt < 20; attempt++) {
                try {
                    MimeMessage m = new MimeMessage(smtp) {
                        @Override
                        protected void updateMessageID() throws jakarta.mail.MessagingException {
                            setHeader("Message-ID", "<" + u.marker + "@customers.example>"); // the same id on a resend
                        }
                    };
                    m.setFrom(new InternetAddress(from, "Fault Run " + u.seq, "UTF-8"));
                    m.setRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
                    m.setSubject("Complaint " + u.marker, "UTF-8");
                    m.setText(text + "\n\nSent from the fault run.", "UTF-8");
                    m.setSentDate(new Date());
                    Transport.send(m);
                    u.attempts.incrementAndGet();
                    return;
                } catch (Exception e) {
                    smtpFailures.incrementAndGet();
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        });
    }

    long smtpFailures() {
        return smtpFailures.get();
    }

    /** Mails in the intake inbox now, or -1 when it cannot be read. */
    int inbox() {
        try (Store store = store()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int n = inbox.getMessageCount();
            inbox.close(false);
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Folder name -> the markers of the mails in it (every folder of the intake mailbox). */
    Map<String, List<String>> markersByFolder(Pattern markers) throws Exception {
        Map<String, List<String>> out = new HashMap<>();
        try (Store store = store()) {
            List<Folder> folders = new ArrayList<>();
            folders.add(store.getFolder("INBOX"));
            for (Folder f : store.getDefaultFolder().list("*")) {
                if (!f.getFullName().equalsIgnoreCase("INBOX") && (f.getType() & Folder.HOLDS_MESSAGES) != 0) {
                    folders.add(f);
                }
            }
            for (Folder f : folders) {
                f.open(Folder.READ_ONLY);
                List<String> found = new ArrayList<>();
                for (Message m : f.getMessages()) {
                    Matcher matcher = markers.matcher(String.valueOf(m.getSubject()));
                    if (matcher.find()) {
                        found.add(matcher.group());
                    }
                }
                f.close(false);
                out.put(f.getFullName(), found);
            }
        }
        return out;
    }

    /** The subjects of every mail the hub sent to customers (anything not addressed to the intake mailbox). */
    List<String> outboundMails() throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            String to = String.valueOf(m.getHeader("To", ","));
            if (to.contains(MAILBOX)) {
                continue;
            }
            out.add(m.getSubject());
        }
        return out;
    }

    private Store store() throws Exception {
        Properties p = new Properties();
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", Integer.toString(greenMail.getImap().getPort()));
        Store store = Session.getInstance(p).getStore("imap");
        store.connect(MAILBOX, PASSWORD);
        return store;
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
