package org.complainthub.complaint;

/** What a complaint is about (DOMAIN.md 1.5). Each type has a default department in the classification rules. */
public enum ComplaintType {
    PRODUCT_QUALITY, SERVICE, DELIVERY, PRICE_BILLING, CONTRACT, AFTER_SALES, PRIVACY, OTHER
}
