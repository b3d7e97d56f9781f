package org.complainthub.channel.mail;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One mail taken from the mailbox in a batch: its place there (folder, UIDVALIDITY, UID), its size and its raw bytes
 * (only the headers when it is over hub.email.max-bytes). The route says what became of it; {@link Mailbox#finish()}
 * then moves it to the processed or quarantine folder. A mail nobody decided on stays where it is, for the next poll.
 */
public final class FetchedMail {

    public enum Outcome { PROCESSED, QUARANTINED }

    private final String folder;
    private final long uidValidity;
    private final long uid;
    private final long size;
    private final byte[] raw;
    private final boolean headersOnly;
    private volatile Outcome outcome;

    FetchedMail(String folder, long uidValidity, long uid, long size, byte[] raw, boolean headersOnly) {
        this.folder = folder;
        this.uidValidity = uidValidity;
        this.uid = uid;
        this.size = size;
        this.raw = raw;
        this.headersOnly = headersOnly;
    }

    /**
     * A mail read back from complaints.quarantine to be taken again (the quarantine replay): its raw bytes as they were
     * queued, which are only its headers when it was over hub.email.max-bytes. It is in no folder: nothing moves it.
     */
    public static FetchedMail fromQuarantine(byte[] raw, boolean headersOnly) {
        return new FetchedMail("(quarantine)", 0, 0, raw.length, raw, headersOnly);
    }

    /** Where the mail is, stable across polls and reconnects: counts failed attempts. */
    public String key() {
        return folder + "/" + uidValidity + "/" + uid;
    }

    /**
     * The broker's duplicate-detection id of this mail's copy on complaints.quarantine: the hash of its bytes, so the
     * same mail read again (a move to the quarantine folder that failed, a restart, another node) is queued once.
     */
    public String quarantineId() {
        try {
            return "quarantine:email:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public long uid() { return uid; }
    public long size() { return size; }
    /** The whole mail as the server holds it, or only its header block when {@link #headersOnly()}. */
    public byte[] raw() { return raw; }
    /** Over the size limit: only the headers were fetched. */
    public boolean headersOnly() { return headersOnly; }
    public Outcome outcome() { return outcome; }

    public void processed() { outcome = Outcome.PROCESSED; }
    public void quarantined() { outcome = Outcome.QUARANTINED; }

    @Override
    public String toString() {
        return "mail " + key() + " (" + size + " bytes)";
    }
}
