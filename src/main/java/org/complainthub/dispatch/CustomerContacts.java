package org.complainthub.dispatch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.complainthub.complaint.Complaint;

/**
 * The contacts of a record that identify its customer, as stored (customer_contact.contact_key): the SHA-256 (hex) of
 * {@code email:<lower-case address>}, {@code phone:<E.164>}, {@code <channel>:<handle>}. Only the record's customer
 * fields count (what the customer stated or the platform vouched for), never its text. A WhatsApp account's id is its
 * phone number, so it is also that phone. A hotline record's handle is a placeholder for a withheld number
 * (hotline-call:&lt;call id&gt;): no contact. Hashed, so the table holds no address or number in clear.
 */
public final class CustomerContacts {

    private CustomerContacts() {
    }

    /** The record's contact keys, hashed, in a stable order (may be empty). */
    public static List<String> keysOf(Complaint c) {
        List<String> clear = new ArrayList<>(3);
        Complaint.Customer who = c.getCustomer();
        if (who == null) {
            return List.of();
        }
        if (who.email() != null && !who.email().isBlank()) {
            clear.add("email:" + who.email().strip().toLowerCase(Locale.ROOT));
        }
        if (who.phone() != null && !who.phone().isBlank()) {
            clear.add("phone:" + who.phone().strip());
        }
        String handle = who.handle();
        if (handle != null && !handle.isBlank() && !"hotline".equals(c.getChannel()) && !handle.startsWith("hotline-call:")) {
            clear.add(c.getChannel() + ":" + handle.strip());
            if ("whatsapp".equals(c.getChannel()) && handle.strip().matches("[1-9][0-9]{4,14}")) {
                String phone = "phone:+" + handle.strip();
                if (!clear.contains(phone)) {
                    clear.add(phone);
                }
            }
        }
        return clear.stream().map(CustomerContacts::hash).toList();
    }

    static String hash(String contact) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(contact.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
