package org.complainthub.faultrun;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Message;
import jakarta.mail.Session;
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

    /**
     * Mails in the intake inbox now (not marked deleted), or -1 when it cannot be read. Read through GreenMail's own
     * store, not IMAP: its FETCH looks each message up by a scan of the folder, minutes for a folder of thousands.
     */
    int inbox() {
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user()).getNonDeletedMessages().size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Folder name (INBOX for the inbox) -> the markers of the mails in it (every folder of the intake mailbox). */
    Map<String, List<String>> markersByFolder(Pattern markers) throws Exception {
        Map<String, List<String>> out = new HashMap<>();
        for (MailFolder f : greenMail.getManagers().getImapHostManager().listMailboxes(user(), "*")) {
            List<String> found = new ArrayList<>();
            for (StoredMessage m : f.getNonDeletedMessages()) {
                Matcher matcher = markers.matcher(String.valueOf(m.getMimeMessage().getSubject()));
                if (matcher.find()) {
                    found.add(matcher.group());
                }
            }
            out.merge(f.getName().equalsIgnoreCase("INBOX") ? "INBOX" : f.getFullName(), found, (a, b) -> {
                List<String> both = new ArrayList<>(a);
                both.addAll(b);
                return both;
            });
        }
        return out;
    }

    private GreenMailUser user() {
        return greenMail.getUserManager().getUserByEmail(MAILBOX);
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

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
