package org.complainthub.complaint;

/** Severity (DOMAIN.md 1.6): A major, B serious, C general, D advisory. Declared from most to least severe. */
public enum Grade {
    A, B, C, D;

    /** The more severe of the two. */
    public Grade atLeast(Grade other) {
        return other != null && other.ordinal() < ordinal() ? other : this;
    }
}
