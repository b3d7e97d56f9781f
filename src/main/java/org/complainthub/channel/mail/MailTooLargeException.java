package org.complainthub.channel.mail;

/** The raw mail is larger than the configured limit; refused before any parsing (CHANNEL_FORMATS C7 E7). */
public class MailTooLargeException extends MailDecodingException {

    private final long size;
    private final long limit;

    public MailTooLargeException(long size, long limit) {
        super("mail of " + size + " bytes exceeds the limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
