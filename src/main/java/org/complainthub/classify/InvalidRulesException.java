package org.complainthub.classify;

/** The classification rules file cannot be used: the message names the file, the key and what is wrong. */
public class InvalidRulesException extends RuntimeException {

    private final String file;
    private final String key;

    public InvalidRulesException(String file, String key, String problem, Throwable cause) {
        super(file + (key == null || key.isEmpty() ? "" : ": " + key) + ": " + problem, cause);
        this.file = file;
        this.key = key;
    }

    public String file() {
        return file;
    }

    /** The path of the offending key, such as {@code types[3].patterns.en[0]}; empty for the whole file. */
    public String key() {
        return key;
    }
}
