package org.complainthub.complaint;

/** What the customer asks for (DOMAIN.md 1.2, 投诉要求). */
public enum Demand {
    REFUND, RETURN, EXCHANGE, REPAIR, DISCOUNT, COMPENSATION, APOLOGY, EXPLANATION
}
