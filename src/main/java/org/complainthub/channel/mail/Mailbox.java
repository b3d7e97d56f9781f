package org.complainthub.channel.mail;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.complainthub.HubExchange;

/**
 * The email channel's IMAP mailbox, worked in batches: one FETCH brings a whole batch (UID, size, flags and the raw
 * mail, or only the headers of a mail over the size limit), and after the route has handled it one MOVE per
 * destination marks the batch done. Camel's mail consumer makes two to three round trips per mail (a STORE of \Seen,
 * a COPY, a STORE of \Deleted); on a server with a large folder each costs milliseconds, which capped a backlog at a
 * few mails a second (EmailIntakeBenchmark).
 * <p>
 * What is still in the folder is what is still to do, so an outage of any length loses nothing, and \Seen means
 * nothing to the hub (a person reading the mailbox hides no mail from it): the mail is moved to the processed folder
 * only after its complaint is on the broker, or to the quarantine folder after its raw bytes are on
 * complaints.quarantine. One caller at a time (the email-intake route's scheduler).
 * <p>
 * Folder names are set with "/" between levels (ComplaintHub/Processed) and built with the server's own hierarchy
 * separator at each connect: Dovecot and Courier with Maildir++ use ".", and refuse a name with "/" in it, so with the
 * names taken literally no mail ever left the inbox and each poll took (and quarantined) the same mails again. A level
 * that contains the server's separator is refused at connect, naming the setting, before any mail is taken; the
 * processed and quarantine folders are created then if missing.
 */
@Component
public class Mailbox implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);
    private static final String SETTINGS = "channel-config/email/channel.properties";

    private final String protocol;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String folderName;
    private final String processedFolder;
    private final String quarantineFolder;
    private final int batchSize;
    private final long batchBytes;
    private final long maxBytes;
    private final Session session;

    private Store store;
    private IMAPFolder folder;
    /** The three folders' names on the connected server (its separator between the levels). */
    private String folderOnServer;
    private String processedOnServer;
    private String quarantineOnServer;
    private List<FetchedMail> batch = List.of();

    public Mailbox(@Value("${hub.email.protocol}") String protocol,
                   @Value("${hub.email.host}") String host,
                   @Value("${hub.email.port}") int port,
                   @Value("${hub.email.username}") String username,
                   @Value("${hub.email.password:}") String password,
                   @Value("${hub.email.folder}") String folderName,
                   @Value("${hub.email.processed-folder}") String processedFolder,
                   @Value("${hub.email.quarantine-folder}") String quarantineFolder,
                   @Value("${hub.email.batch-size}") int batchSize,
                   @Value("${hub.email.batch-bytes}") long batchBytes,
                   @Value("${hub.email.max-bytes}") long maxBytes,
                   @Value("${hub.email.timeout-ms}") int timeoutMs) {
        this.protocol = protocol;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.folderName = checked("hub.email.folder", folderName);
        this.processedFolder = checked("hub.email.processed-folder", processedFolder);
        this.quarantineFolder = checked("hub.email.quarantine-folder", quarantineFolder);
        if (processedFolder.equals(quarantineFolder) || processedFolder.equals(folderName) || quarantineFolder.equals(folderName)) {
            throw new IllegalStateException(SETTINGS + ": hub.email.folder, hub.email.processed-folder and "
                    + "hub.email.quarantine-folder must be three different folders");
        }
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.maxBytes = maxBytes;
        Properties p = new Properties();
        for (String prefix : List.of("mail.imap.", "mail.imaps.")) {
            p.setProperty(prefix + "connectiontimeout", String.valueOf(timeoutMs));
            p.setProperty(prefix + "timeout", String.valueOf(timeoutMs));
            p.setProperty(prefix + "writetimeout", String.valueOf(timeoutMs));
            p.setProperty(prefix + "peek", "true");
        }
        p.setProperty("mail.imaps.ssl.checkserveridentity", "true");
        this.session = Session.getInstance(p);
    }

    /**
     * The next batch, oldest first: at most hub.email.batch-size mails and about hub.email.batch-bytes of content (at
     * least one mail). Sets the exchange property {@link HubExchange#MAILBOX_MORE} when the folder holds more than was taken,
     * and {@link HubExchange#MAILBOX_COUNT} to how many it holds.
     */
    public synchronized List<FetchedMail> fetch(Exchange exchange) throws MessagingException, IOException {
        batch = List.of();
        exchange.setProperty(HubExchange.MAILBOX_MORE, false);
        open();
        int count = folder.getMessageCount();
        exchange.setProperty(HubExchange.MAILBOX_COUNT, Math.max(count, 0));
        if (count <= 0) {
            return batch;
        }
        Message[] first = folder.getMessages(1, Math.min(count, batchSize));
        FetchProfile meta = new FetchProfile();
        meta.add(UIDFolder.FetchProfileItem.UID);
        meta.add(FetchProfile.Item.SIZE);
        meta.add(FetchProfile.Item.FLAGS);
        folder.fetch(first, meta);

        List<Message> whole = new ArrayList<>();
        List<Message> headers = new ArrayList<>();
        long bytes = 0;
        int taken = 0;
        for (Message m : first) {
            if (m.isExpunged() || m.isSet(Flags.Flag.DELETED)) {
                continue; // being moved by someone else
            }
            long size = Math.max(m.getSize(), 0);
            if (size > maxBytes) {
                headers.add(m);
            } else {
                if (!whole.isEmpty() && bytes + size > batchBytes) {
                    break;
                }
                whole.add(m);
                bytes += size;
            }
            taken++;
        }
        FetchProfile content = new FetchProfile();
        content.add(IMAPFolder.FetchProfileItem.MESSAGE);
        folder.fetch(whole.toArray(Message[]::new), content);
        FetchProfile headerProfile = new FetchProfile();
        headerProfile.add(IMAPFolder.FetchProfileItem.HEADERS);
        folder.fetch(headers.toArray(Message[]::new), headerProfile);

        long uidValidity = folder.getUIDValidity();
        List<FetchedMail> mails = new ArrayList<>(taken);
        for (Message m : first) {
            boolean isWhole = whole.contains(m);
            if (!isWhole && !headers.contains(m)) {
                continue;
            }
            byte[] raw = isWhole ? bytesOf(m) : headerBlock(m);
            mails.add(new FetchedMail(folderName, uidValidity, folder.getUID(m), m.getSize(), raw, !isWhole));
        }
        batch = mails;
        exchange.setProperty(HubExchange.MAILBOX_MORE, count > taken);
        return mails;
    }

    /**
     * Moves the batch's processed mails to the processed folder and its quarantined mails to the quarantine folder,
     * one command each. Mails without an outcome stay. Returns how many were moved; a batch that moved nothing ends
     * the poll, so mails that keep failing are not fetched again at once.
     */
    public synchronized int finish(Exchange exchange) throws MessagingException {
        List<FetchedMail> done = batch;
        batch = List.of();
        int moved = move(done, FetchedMail.Outcome.PROCESSED, processedOnServer)
                + move(done, FetchedMail.Outcome.QUARANTINED, quarantineOnServer);
        // the next batch starts from a fresh SELECT: no message numbers or cached content of this one carried over
        if (folder.isOpen()) {
            folder.close(false);
        }
        if (moved == 0) {
            exchange.setProperty(HubExchange.MAILBOX_MORE, false);
        }
        return moved;
    }

    private int move(List<FetchedMail> mails, FetchedMail.Outcome outcome, String destination) throws MessagingException {
        long[] uids = mails.stream().filter(m -> m.outcome() == outcome).mapToLong(FetchedMail::uid).toArray();
        if (uids.length == 0) {
            return 0;
        }
        Message[] messages = java.util.Arrays.stream(folder.getMessagesByUID(uids))
                .filter(m -> m != null && !m.isExpunged()).toArray(Message[]::new);
        if (messages.length == 0) {
            return 0;
        }
        Folder target = store.getFolder(destination); // made at connect (exists: a folder deleted since fails the move)
        if (((IMAPStore) store).hasCapability("MOVE")) {
            folder.moveMessages(messages, target);
        } else {
            folder.copyMessages(messages, target);
            folder.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
            if (((IMAPStore) store).hasCapability("UIDPLUS")) {
                folder.expunge(messages);
            } else {
                folder.expunge();
            }
        }
        LOG.debug("email: {} mail(s) moved to {}", messages.length, destination);
        return messages.length;
    }

    private void open() throws MessagingException {
        try {
            if (store == null || !store.isConnected()) {
                close();
                store = session.getStore(protocol);
                store.connect(host, port, username, password.isEmpty() ? null : password);
                char separator = store.getDefaultFolder().getSeparator();
                folderOnServer = onServer("hub.email.folder", folderName, separator);
                processedOnServer = onServer("hub.email.processed-folder", processedFolder, separator);
                quarantineOnServer = onServer("hub.email.quarantine-folder", quarantineFolder, separator);
                made("hub.email.processed-folder", processedOnServer);
                made("hub.email.quarantine-folder", quarantineOnServer);
            }
            if (folder == null) {
                folder = (IMAPFolder) store.getFolder(folderOnServer);
            }
            if (!folder.isOpen()) {
                folder.open(Folder.READ_WRITE);
            }
        } catch (MessagingException e) {
            close();
            throw e;
        }
    }

    /** A folder setting as levels: "/" between them, none empty. Checked at start-up. */
    private static String checked(String key, String name) {
        if (name == null || name.isBlank() || name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            throw new IllegalStateException(SETTINGS + ": " + key + "=" + name
                    + " is not a folder name (levels separated by single \"/\", none empty)");
        }
        return name;
    }

    /** The setting's name on this server: its levels joined by the server's hierarchy separator. */
    static String onServer(String key, String name, char separator) throws MessagingException {
        String[] levels = name.split("/");
        if (separator == '\0' || separator == '/') {
            if (separator == '\0' && levels.length > 1) {
                throw new MailboxRefused(key + "=" + name + ": the IMAP server has no folder hierarchy; set a name of one"
                        + " level (without \"/\")");
            }
            return name;
        }
        for (String level : levels) {
            if (level.indexOf(separator) >= 0) {
                throw new MailboxRefused(key + "=" + name + ": the IMAP server's hierarchy separator is \"" + separator
                        + "\", so no level of the name may contain it (levels are separated by \"/\" in the setting)");
            }
        }
        return String.join(String.valueOf(separator), levels);
    }

    /** The folder exists on the server, or is created now: a refusal names the setting, and no mail is taken. */
    private void made(String key, String name) throws MessagingException {
        Folder f = store.getFolder(name);
        if (f.exists()) {
            return;
        }
        try {
            if (f.create(Folder.HOLDS_MESSAGES)) {
                LOG.info("email: created the folder {} ({})", name, key);
                return;
            }
        } catch (MessagingException e) {
            throw new MailboxRefused(key + ": the IMAP server refused to create the folder " + name + ": " + e.getMessage());
        }
        throw new MailboxRefused(key + ": the IMAP server refused to create the folder " + name);
    }

    /** The server will not have the hub's folders as configured: no mail is taken until the setting is fixed. */
    static final class MailboxRefused extends MessagingException {
        MailboxRefused(String message) {
            super(message);
        }
    }

    private void close() {
        try {
            if (folder != null && folder.isOpen()) {
                if (folder.isOpen()) {
            folder.close(false);
        }
            }
        } catch (MessagingException | IllegalStateException e) {
            LOG.debug("email: closing the folder failed", e);
        }
        try {
            if (store != null) {
                store.close();
            }
        } catch (MessagingException e) {
            LOG.debug("email: closing the store failed", e);
        }
        folder = null;
        store = null;
    }

    /** Any failure of the connection: the next poll starts on a new one. */
    public synchronized void reset() {
        batch = List.of();
        close();
    }

    @Override
    public synchronized void destroy() {
        close();
    }

    private static byte[] bytesOf(Message m) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(m.getSize(), 1024));
        m.writeTo(out);
        return out.toByteArray();
    }

    private static byte[] headerBlock(Message m) throws MessagingException {
        StringBuilder sb = new StringBuilder();
        for (var e = m.getAllHeaders(); e.hasMoreElements(); ) {
            jakarta.mail.Header h = e.nextElement();
            sb.append(h.getName()).append(": ").append(h.getValue()).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
