package org.complainthub.channel.mail;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields a customer states in a mail the way a form would: a line of its own that is a label and a value, such as
 * {@code 订单号：DD20261120771}, {@code Order number: DD20261120771}, {@code 手机：139 1111 0001} or
 * {@code Phone: +86 139 1111 0001}. Many customers write this way, and many companies' "contact us" pages send mail
 * laid out so. Such a phone is what the customer stated, so it may join the customer's contacts; a number somewhere in
 * running text ("my neighbour's phone is ...") is not, and is never read. Quoted lines ({@code >}) and what follows a
 * quoted original ("-----Original Message-----", "On ... wrote:", "原始邮件") are not the customer's statement of this mail.
 * Only the first value of each label counts; a phone that is not a valid number is dropped (the mail is still taken).
 */
final class StatedFields {

    private static final Pattern LINE = Pattern.compile(
            "^\\s*(?:[-*•]\\s*)?(?<label>[\\p{L} .#]{1,20}?)\\s*[:：]\\s*(?<value>[^\\r\\n]{1,64}?)\\s*$");
    private static final Pattern END_OF_OWN_TEXT = Pattern.compile(
            "^\\s*(?:-{2,}\\s*(?:original message|原始邮件|forwarded message)\\s*-{2,}|on .{1,200} wrote:|.{0,80}写道[:：]?)\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ORDER_VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{3,63}");
    private static final Pattern PHONE_VALUE = Pattern.compile("\\+?[0-9][0-9 ()-]{5,22}");
    /** The lines read: a statement is at the top of a mail, not deep in a pasted log. */
    private static final int MAX_LINES = 200;

    private static final Map<String, String> LABELS = labels();

    private StatedFields() {
    }

    /** {phone (E.164)?, order?} of this mail's text; {@code e164} gives a valid number in E.164 or null. */
    static Map<String, String> of(String text, UnaryOperator<String> e164) {
        Map<String, String> found = new LinkedHashMap<>();
        if (text == null) {
            return found;
        }
        String[] lines = text.split("\\r?\\n", MAX_LINES + 1);
        for (int i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
            String line = lines[i];
            if (line.stripLeading().startsWith(">") || END_OF_OWN_TEXT.matcher(line).matches()) {
                if (!line.stripLeading().startsWith(">")) {
                    break;
                }
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String field = LABELS.get(m.group("label").strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
            String value = m.group("value").strip();
            if (field == null || found.containsKey(field)) {
                continue;
            }
            if (field.equals("order") && ORDER_VALUE.matcher(value).matches()) {
                found.put(field, value);
            } else if (field.equals("phone") && PHONE_VALUE.matcher(value).matches()) {
                String phone = e164.apply(value);
                if (phone != null) {
                    found.put(field, phone);
                }
            }
        }
        return found;
    }

    private static Map<String, String> labels() {
        Map<String, String> l = new LinkedHashMap<>();
        for (String s : new String[] {"订单号", "订单编号", "订单号码", "订单", "order", "order number", "order no", "order no.",
                "order #", "order id"}) {
            l.put(s, "order");
        }
        for (String s : new String[] {"电话", "手机", "手机号", "手机号码", "电话号码", "联系电话", "联系方式", "phone",
                "phone number", "mobile", "mobile number", "tel", "tel.", "telephone", "contact number"}) {
            l.put(s, "phone");
        }
        return Map.copyOf(l);
    }
}
