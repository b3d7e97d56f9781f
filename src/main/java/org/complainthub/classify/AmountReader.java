package org.complainthub.classify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.complaint.Complaint;

/**
 * Finds money amounts in free complaint text, written the ways customers write them: 6000元, ¥6,000, 6千块, 五千元,
 * 一万二, 1.2万, RMB 4500, 800 yuan, $450, US$120, €500, 500 euros, HK$300.
 * <p>
 * A number counts as money when a currency is written next to it (a sign or code before it, a unit such as 元 or
 * "euros" after it), or when a money word stands just before it ("花了一万二", "损失1.2万", "paid 450"), or when it is
 * a bare 千/万 figure standing on its own ("花了一万二，", "1.2万的电脑"). Everything else is not money: order numbers,
 * phone numbers, dates, "3天", "2 items", "第3次". Amounts without a written currency are taken in the home
 * currency given to the reader (the rules' {@code amounts.currency}; CNY by default).
 * <p>
 * Stateless and thread-safe; the patterns are compiled once.
 */
public final class AmountReader {

    /** The currency of an amount written without one (the rules' amounts.currency). */
    private final String homeCurrency;

    /** A reader that takes amounts written without a currency as CNY. */
    public AmountReader() {
        this("CNY");
    }

    /** @param homeCurrency the currency of an amount written without one, such as "8000 lost" */
    public AmountReader(String homeCurrency) {
        this.homeCurrency = homeCurrency;
    }

    private static final String CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖";
    private static final String CN_UNITS = "十拾百佰千仟万萬亿";

    private static final Pattern AMOUNT = Pattern.compile(
            // a currency written before the number
            "(?<pre>(?<![a-z])(?:us\\$|hk\\$|nt\\$|a\\$|c\\$|s\\$|usd|hkd|rmb|cny|eur|gbp|jpy)|人民币|港币|港元|美元|欧元"
                    + "|[$\u00A5\u20AC\u00A3])?\\s*"
                    // the number: arabic (with thousands separators, decimals, a 千/万/k magnitude) or chinese numerals
                    + "(?:(?<ar>(?<!\\d)(?<!\\d[.,])(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?)(?:\\s*(?<mag>[千万]|k(?![a-z])))?"
                    + "|(?<cn>[" + CN_DIGITS + "十拾][" + CN_DIGITS + CN_UNITS + "]*))"
                    + "(?:\\s*多)?"
                    // a currency written after the number
                    + "(?:\\s*(?<suf>块钱|元|圆|块|人民币|美元|美金|欧元|港币|港元|港纸|英镑|日元"
                    + "|(?:rmb|cny|yuan|usd|us dollars?|hk dollars?|hong kong dollars?|dollars?|bucks|euros?|eur|hkd"
                    + "|gbp|jpy|yen)(?![a-z])))?",
            Pattern.CASE_INSENSITIVE);

    /** Money words that make a bare number an amount when they stand just before it ("花了一万二", "paid about 450"). */
    private static final PrecedingWords MONEY_BEFORE = new PrecedingWords(
            List.of("花了", "花费", "付了", "支付", "付款", "价值", "价格", "售价", "价钱", "标价", "原价", "损失", "赔偿", "赔了",
                    "退款", "退了", "多收", "收了", "扣了", "扣款", "金额", "共计", "合计", "总共", "一共", "总价", "货款", "运费",
                    "费用", "收费", "要价", "罚款", "违约金", "定金", "订金", "押金", "paid", "pay", "cost", "costs", "charged",
                    "spent", "price", "priced", "refund", "refunded", "worth", "lost", "fee", "fees", "bill", "total",
                    "amount"),
            List.of("了", "我", "我们", "是", "为", "共", "约", "大约", "差不多", "足足", "整整", "高达", "达", ":", "of", "me",
                    "us", "for", "about", "around", "was", "is", "me"),
            List.of(), 3);

    /** What may follow a number that is a count, a duration or a date, not money. */
    private static final Pattern NOT_MONEY_AFTER = Pattern.compile(
            "\\s*(?:天|日|号|月|年|周|次|个|件|台|只|双|套|瓶|盒|包|人|位|小时|分钟|公里|斤|公斤|米|岁|楼|层|单元|倍|%|遍|趟|张|条|本"
                    + "|(?:items?|days?|hours?|times?|pcs|pieces?|kg|km|years?|months?|weeks?|minutes?|people|units?"
                    + "|percent|boxes|orders?)(?![a-z]))",
            Pattern.CASE_INSENSITIVE);

    /** The longest integer part a money amount is allowed: longer digit runs are ids and phone numbers. */
    private static final int MAX_DIGITS = 10;

    /** Every amount in the text, in the order written. */
    public List<Complaint.Amount> read(String text) {
        List<Complaint.Amount> found = new ArrayList<>(2);
        if (text == null || text.isEmpty()) {
            return found;
        }
        String t = ComplaintText.fold(text);
        Matcher m = AMOUNT.matcher(t).useTransparentBounds(true).useAnchoringBounds(false);
        Matcher after = null;
        int i = 0;
        while (i < t.length()) {
            // the expression is tried only where an amount can start: cheap, and most of the text is skipped
            if (!mayStart(t, i)) {
                i++;
                continue;
            }
            int numeralEnd = chineseNumeralEnd(t, i);
            if (numeralEnd > i && !chineseNumeralMayBeMoney(t, i, numeralEnd)) {
                i = numeralEnd; // 一直, 三天, 第二次: a numeral in a word, no currency near
                continue;
            }
            if (!m.region(i, t.length()).lookingAt()) {
                i++;
                continue;
            }
            i = Math.max(m.end(), i + 1);
            String pre = m.group("pre");
            String suf = m.group("suf");
            String ar = m.group("ar");
            String cn = m.group("cn");
            String mag = m.group("mag");
            if (ar == null && cn == null) {
                continue;
            }
            if (ar != null && integerDigits(ar) > MAX_DIGITS) {
                continue;
            }
            BigDecimal value = ar != null ? arabic(ar, mag) : chinese(cn);
            if (value == null || value.signum() <= 0) {
                continue;
            }
            String currency;
            if (pre != null || suf != null) {
                if ("块".equals(suf) && !pieceIsMoney(t, m.end(), value)) {
                    continue; // 两块玻璃: a measure word, not money
                }
                currency = currency(pre != null ? pre : suf);
            } else {
                boolean large = mag != null || (cn != null && hasLargeUnit(cn));
                int numberStart = ar != null ? m.start("ar") : m.start("cn");
                if (!(large && standsAlone(t, m.end())) && !MONEY_BEFORE.endsWithCue(t, 0, numberStart)) {
                    continue;
                }
                after = after == null ? NOT_MONEY_AFTER.matcher(t) : after;
                if (after.region(m.end(), t.length()).lookingAt()) {
                    continue; // 3天, 2 items
                }
                currency = homeCurrency;
            }
            found.add(new Complaint.Amount(plain(value), currency));
        }
        return found;
    }

    /** Whether an amount can start at i: a number's first digit, a currency sign, or the start of a currency word. */
    private static boolean mayStart(String t, int i) {
        char c = t.charAt(i);
        char prev = i > 0 ? t.charAt(i - 1) : ' ';
        if (c >= '0' && c <= '9') {
            return !(prev >= '0' && prev <= '9');
        }
        if (CN_DIGITS.indexOf(c) >= 0 || c == '十' || c == '拾') {
            return CN_DIGITS.indexOf(prev) < 0 && CN_UNITS.indexOf(prev) < 0;
        }
        switch (c) {
            case '$', '\u00A5', '\u20AC', '\u00A3':
                return true;
            case '人':
                return t.startsWith("人民币", i);
            case '港':
            case '美':
            case '欧':
                return i + 1 < t.length() && "币元".indexOf(t.charAt(i + 1)) >= 0;
            default:
                break;
        }
        if (c < 128 && Character.isLetter(c) && !(prev < 128 && Character.isLetter(prev)) && i + 1 < t.length()) {
            char a = Character.toLowerCase(c);
            char b = Character.toLowerCase(t.charAt(i + 1));
            return switch (a) {
                case 'u' -> b == 's';
                case 'h' -> b == 'k';
                case 'n' -> b == 't';
                case 'a', 'c', 's' -> b == '$' || (a == 'c' && b == 'n');
                case 'r' -> b == 'm';
                case 'e' -> b == 'u';
                case 'g' -> b == 'b';
                case 'j' -> b == 'p';
                default -> false;
            };
        }
        return false;
    }

    /** The end of the Chinese numeral starting at i, or i when none starts there. */
    private static int chineseNumeralEnd(String t, int i) {
        char c = t.charAt(i);
        if (CN_DIGITS.indexOf(c) < 0 && c != '十' && c != '拾') {
            return i;
        }
        int j = i + 1;
        while (j < t.length() && (CN_DIGITS.indexOf(t.charAt(j)) >= 0 || CN_UNITS.indexOf(t.charAt(j)) >= 0)) {
            j++;
        }
        return j;
    }

    /** A currency after it, a 千/万 in it, or a money word before it: only then is a Chinese numeral worth reading. */
    private static boolean chineseNumeralMayBeMoney(String t, int start, int end) {
        int k = end;
        while (k < t.length() && (t.charAt(k) == ' ' || t.charAt(k) == '多')) {
            k++;
        }
        if (k < t.length() && "元块圆人美欧港英日".indexOf(t.charAt(k)) >= 0) {
            return true;
        }
        return hasLargeUnit(t.substring(start, end)) || MONEY_BEFORE.endsWithCue(t, 0, start);
    }

    private static int integerDigits(String ar) {
        int n = 0;
        for (int i = 0; i < ar.length() && ar.charAt(i) != '.'; i++) {
            n += Character.isDigit(ar.charAt(i)) ? 1 : 0;
        }
        return n;
    }

    private static boolean hasLargeUnit(String cn) {
        for (int i = 0; i < cn.length(); i++) {
            if ("千仟万萬亿".indexOf(cn.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** "块" is money after a large figure, before 钱, or at the end of a phrase; "两块玻璃" is two pieces of glass. */
    private static boolean pieceIsMoney(String t, int end, BigDecimal value) {
        if (value.compareTo(BigDecimal.TEN) >= 0 || end >= t.length()) {
            return true;
        }
        return !isIdeograph(t.charAt(end));
    }

    /** A bare 千/万 figure is money when no noun follows it ("一万二，" "1.2万的手机"), not in "三万公里" or "一千个". */
    private static boolean standsAlone(String t, int end) {
        int i = end;
        while (i < t.length() && t.charAt(i) == ' ') {
            i++;
        }
        if (i >= t.length()) {
            return true;
        }
        char c = t.charAt(i);
        if (Character.isLetter(c) && !isIdeograph(c)) {
            return false;
        }
        return !isIdeograph(c) || "的多左了啊呢吧呀".indexOf(c) >= 0;
    }

    private static boolean isIdeograph(char c) {
        return Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
    }

    private static String currency(String marker) {
        String s = marker.toLowerCase(Locale.ROOT).trim();
        switch (s) {
            case "us$": case "usd": case "$": case "美元": case "美金": case "us dollar": case "us dollars":
            case "dollar": case "dollars": case "bucks":
                return "USD";
            case "hk$": case "hkd": case "港币": case "港元": case "港纸": case "hk dollar": case "hk dollars":
            case "hong kong dollar": case "hong kong dollars":
                return "HKD";
            case "eur": case "\u20AC": case "欧元": case "euro": case "euros":
                return "EUR";
            case "gbp": case "\u00A3": case "英镑":
                return "GBP";
            case "jpy": case "日元": case "yen":
                return "JPY";
            case "nt$":
                return "TWD";
            case "a$":
                return "AUD";
            case "c$":
                return "CAD";
            case "s$":
                return "SGD";
            default: // ¥ 元 块 块钱 圆 rmb cny yuan 人民币
                return "CNY";
        }
    }

    private static BigDecimal arabic(String digits, String magnitude) {
        BigDecimal v = new BigDecimal(digits.replace(",", ""));
        if (magnitude == null) {
            return v;
        }
        return switch (magnitude.toLowerCase(Locale.ROOT)) {
            case "万" -> v.multiply(BigDecimal.valueOf(10_000));
            default -> v.multiply(BigDecimal.valueOf(1_000)); // 千, k
        };
    }

    /**
     * Reads a Chinese numeral: 五千 5000, 三千五百 3500, 一万零五 10005, and the spoken short forms where a last digit
     * after a unit means one unit lower: 一万二 12000, 两千五 2500, 三百五 350. Returns null for what is not a number.
     */
    static BigDecimal chinese(String s) {
        boolean hasUnit = false;
        for (int i = 0; i < s.length(); i++) {
            hasUnit |= CN_UNITS.indexOf(s.charAt(i)) >= 0;
        }
        if (!hasUnit) { // 二零二四 and the like: digit by digit
            StringBuilder positional = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                positional.append(digitValue(s.charAt(i)));
            }
            return new BigDecimal(positional.toString());
        }
        long yi = 0;        // the part counted in 亿
        long wan = 0;       // the part counted in 万
        long section = 0;   // the part below 万
        long digit = -1;    // the pending digit, -1 when none
        long lastUnit = 1;  // the last unit seen, for the spoken short form
        boolean zeroSeen = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (CN_DIGITS.indexOf(c) >= 0) {
                digit = digitValue(c);
                zeroSeen |= digit == 0;
                continue;
            }
            long unit = switch (c) {
                case '十', '拾' -> 10;
                case '百', '佰' -> 100;
                case '千', '仟' -> 1000;
                case '万', '萬' -> 10_000;
                default -> 100_000_000; // 亿
            };
            if (unit == 10_000) {
                wan = section + Math.max(digit, 0);
                wan = wan == 0 ? 1 : wan;
                section = 0;
            } else if (unit == 100_000_000) {
                yi = wan * 10_000 + section + Math.max(digit, 0);
                yi = yi == 0 ? 1 : yi;
                wan = 0;
                section = 0;
            } else {
                section += (digit < 0 ? 1 : digit) * unit;
            }
            digit = -1;
            lastUnit = unit;
            zeroSeen = false;
        }
        long tail = Math.max(digit, 0);
        if (digit > 0 && !zeroSeen && lastUnit >= 100 && CN_UNITS.indexOf(s.charAt(s.length() - 2)) >= 0) {
            tail = digit * lastUnit / 10; // 一万二 is 12000, 两千五 is 2500, 三百五 is 350
        }
        return BigDecimal.valueOf(yi * 100_000_000 + wan * 10_000 + section + tail);
    }

    private static int digitValue(char c) {
        return switch (c) {
            case '零', '〇' -> 0;
            case '一', '壹' -> 1;
            case '二', '两', '贰' -> 2;
            case '三', '叁' -> 3;
            case '四', '肆' -> 4;
            case '五', '伍' -> 5;
            case '六', '陆' -> 6;
            case '七', '柒' -> 7;
            case '八', '捌' -> 8;
            default -> 9; // 九, 玖
        };
    }

    private static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
