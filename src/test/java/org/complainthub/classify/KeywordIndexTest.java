package org.complainthub.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The index only skips work: it must find every place where an alternative matches, as a plain search would. */
class KeywordIndexTest {

    @Test
    void splitsAlternativesAndTheGroupsThatStartThem() {
        assertThat(KeywordIndex.expand("\\b(?:court|sue)\\b|法院")).containsExactly("\\bcourt\\b", "\\bsue\\b", "法院");
        assertThat(KeywordIndex.expand("(?:非常|很)(?:生气|愤怒)")).containsExactly("非常(?:生气|愤怒)", "很(?:生气|愤怒)");
        assertThat(KeywordIndex.expand("(?:被)?摔坏")).containsExactly("(?:被)?摔坏");
        assertThat(KeywordIndex.expand("[a|b]c|\\|d")).containsExactly("[a|b]c", "\\|d");
    }

    @Test
    void readsFirstCharacters() {
        assertThat(first("\\bsue\\b")).isEqualTo("Ss");
        assertThat(first("(?:被)?摔坏")).isEqualTo("摔被");
        assertThat(first("(?<!\\d)12315(?!\\d)")).isEqualTo("1");
        assertThat(first("[$¥]\\d")).isEqualTo("$¥");
        assertThat(first("\\$5")).isEqualTo("$");
        assertThat(KeywordIndex.firstOf(".{0,3}x", true).any).isTrue();
        assertThat(KeywordIndex.firstOf("a?", true).nullable).isTrue();
        assertThat(KeywordIndex.firstOf("\\w+", true).any).isTrue();
        assertThat(KeywordIndex.literalPrefix("\\border (?:is )?late")).isEqualTo("order ");
        assertThat(KeywordIndex.literalPrefix("stories?")).isEqualTo("storie");
    }

    private static String first(String regex) {
        KeywordIndex.First f = KeywordIndex.firstOf(regex, true);
        StringBuilder out = new StringBuilder();
        f.chars.stream().forEach(c -> out.append((char) c));
        return out.chars().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    @Test
    void findsEveryMatchAPlainSearchFinds() {
        ClassificationRules rules = ClassificationRules.load(Path.of("mappings/rules/classification.yaml"));
        List<String> texts = List.of(
                "快递迟迟不到，已经第二次投诉了，再不处理我就打12315，还要发微博曝光！！！",
                "充电器插上就着火了，孩子被烫伤，我要起诉你们，损失5000元",
                "建议你们增加夜间配送；店员态度恶劣，多收了我200块钱，合同里没写。个人信息被泄露",
                "The charger caught fire and my son was injured. I will sue you and go to the media!!!",
                "I was charged twice, the parcel arrived damaged, nobody replied and the staff were rude.",
                "My personal data was shared without my consent. This is the third time I complain. Unacceptable.",
                "Order #4411: WARRANTY repair refused; The Screen Is Cracked; THIRD TIME; DELIVERY LATE",
                "mixed 中文 and English: 快递 late, 质量 poor quality, 律师 lawyer");
        for (String lang : new String[] {"zh", "en", null}) {
            KeywordIndex index = rules.index(lang);
            for (String raw : texts) {
                String text = ComplaintText.fold(raw);
                Set<String> viaIndex = new HashSet<>();
                index.scan(text, (a, i) -> {
                    if (matcher(a.pattern(), text).region(i, text.length()).lookingAt()) {
                        viaIndex.add(a.id() + "@" + i);
                    }
                });
                Set<String> plain = new HashSet<>();
                for (KeywordIndex.Alternative a : index.alternatives()) {
                    Matcher m = matcher(a.pattern(), text);
                    for (int i = 0; i < text.length(); i++) {
                        if (m.region(i, text.length()).lookingAt()) {
                            plain.add(a.id() + "@" + i);
                        }
                    }
                }
                Set<String> everywhereIds = new HashSet<>();
                for (KeywordIndex.Alternative a : index.everywhere()) {
                    everywhereIds.add(a.id() + "@");
                }
                plain.removeIf(k -> everywhereIds.contains(k.substring(0, k.indexOf('@') + 1)));
                assertThat(viaIndex).as("[" + lang + "] " + raw).isEqualTo(plain);
                if (lang == null) {
                    assertThat(plain).as("the text does exercise the rules: " + raw).isNotEmpty();
                }
            }
        }
    }

    private static Matcher matcher(Pattern p, String text) {
        return p.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    }
}
