package org.complainthub.faultrun;

/** The run's sources, each with its share of the offered rate and the hub channel its complaints arrive under. */
enum Channel {
    WEBFORM_JSON("webform-json", "webform", 0.20),
    WEBFORM_FORM("webform-form", "webform", 0.15),
    TELEGRAM("telegram", "telegram", 0.20),
    WHATSAPP("whatsapp", "whatsapp", 0.20),
    EMAIL("email", "email", 0.15),
    HOTLINE("hotline", "hotline", 0.10);

    /** How the run names it (and the middle part of its markers). */
    final String label;
    /** The record's channel field. */
    final String hubChannel;
    final double share;

    Channel(String label, String hubChannel, double share) {
        this.label = label;
        this.hubChannel = hubChannel;
        this.share = share;
    }

    static Channel ofLabel(String label) {
        for (Channel c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        return null;
    }
}
