package org.complainthub.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server (127.0.0.1, a free port) that refuses every recipient with a fixed reply, as a real server answers a
 * mailbox that does not exist ("550 5.1.1 ... User unknown"); records the RCPT commands it saw. GreenMail accepts
 * every recipient, hence this small one.
 */
public final class SmtpRefusals implements AutoCloseable {

    private final ServerSocket server;
    private final String reply;
    private final List<String> recipients = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public SmtpRefusals(String reply) throws IOException {
        this.reply = reply;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "smtp-refusals");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<String> recipients() {
        return recipients;
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                talk(s);
            } catch (IOException e) {
                // closed, or a client that went away: next one
            }
        }
    }

    private void talk(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        say(out, "220 refusals.test ESMTP");
        for (String line; (line = in.readLine()) != null; ) {
            String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (cmd) {
                case "EHLO", "HELO" -> say(out, "250 refusals.test");
                case "MAIL" -> say(out, "250 2.1.0 Ok");
                case "RCPT" -> {
                    recipients.add(line);
                    say(out, reply);
                }
                case "RSET", "NOOP" -> say(out, "250 2.0.0 Ok");
                case "QUIT" -> {
                    say(out, "221 2.0.0 Bye");
                    return;
                }
                default -> say(out, "502 5.5.2 Error: command not recognized");
            }
        }
    }

    private static void say(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
