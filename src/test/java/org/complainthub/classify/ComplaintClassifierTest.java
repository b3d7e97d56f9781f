package org.complainthub.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.ComplaintType;
import org.complainthub.complaint.Grade;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The classifier with the real rules file, as an operator would ship it. */
class ComplaintClassifierTest {

    static final Path RULES = Path.of("mappings/rules/classification.yaml");

    static ClassificationRules rules;
    static ComplaintClassifier classifier;

    @BeforeAll
    static void load() {
        rules = ClassificationRules.load(RULES);
        classifier = new ComplaintClassifier(rules);
    }

    private static Classification classify(String text, String language) {
        return classifier.classify(text, language, null, null);
    }

    // ---- grade signals, Chinese and English ----

    @ParameterizedTest(name = "[{0}] {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            zh | 再不处理我就找媒体曝光你们                        | A | grade:media
            zh | 我要发微博让大家都知道你们的德行                  | A | grade:media
            zh | 已经在网上曝光了，等着上热搜吧                    | A | grade:media
            en | If this is not fixed I will go to the media       | A | grade:media
            en | A journalist friend is interested in this story   | A | grade:media
            zh | 我已经请了律师，律师函下周寄到                    | A | grade:lawyer
            en | My lawyer will be in touch about the faulty boiler| A | grade:lawyer
            zh | 不给说法我就去法院起诉你们                        | A | grade:court
            en | I will sue your company for this                  | A | grade:court
            en | See you in small claims court                     | A | grade:court
            zh | 我已经打了12315投诉你们                           | A | grade:12315
            zh | 这事我会反映到消费者协会                          | A | grade:12315
            zh | 准备去消协投诉                                    | A | grade:12315
            en | I have reported this to the consumer association  | A | grade:12315
            zh | 充电器插上就着火了                                | A | grade:safety
            zh | 热水器漏电，我被电了一下，差点触电                | A | grade:safety
            zh | 高压锅爆炸了                                      | A | grade:safety
            zh | 孩子被玩具的尖角划伤了手                          | A | grade:safety
            zh | 吃了你们的外卖全家食物中毒                        | A | grade:safety
            zh | 插座一直冒烟                                      | A | grade:safety
            en | The charger caught fire on my desk                | A | grade:safety
            en | I got an electric shock from the kettle           | A | grade:safety
            en | The battery exploded in my hand                   | A | grade:safety
            en | My son was injured by a loose part                | A | grade:safety
            en | We all got food poisoning after the meal          | A | grade:safety
            zh | 你们等着瞧，我跟你们没完                          | A | grade:threat-or-fury
            zh | 真是忍无可忍了                                    | A | grade:threat-or-fury
            en | You will regret treating customers like this      | A | grade:threat-or-fury
            en | I am absolutely livid about this                  | A | grade:threat-or-fury
            zh | 这件事给我造成了很大损失                          | B | grade:loss
            zh | 要求赔偿                                          | B | grade:loss
            en | I lost money because of your mistake              | B | grade:loss
            en | I expect compensation for the ruined weekend      | B | grade:loss
            zh | 我非常生气，你们的客服太差了                      | B | grade:strong-emotion
            zh | 气死我了                                          | B | grade:strong-emotion
            zh | 你们也太过分了                                    | B | grade:strong-emotion
            zh | 我很愤怒                                          | B | grade:strong-emotion
            en | I am furious with the way I was treated           | B | grade:strong-emotion
            en | I am outraged                                     | B | grade:strong-emotion
            en | This is completely unacceptable                   | B | grade:strong-emotion
            en | Where is my parcel!!!                             | B | grade:strong-emotion
            zh | 这已经是我第二次投诉了                            | B | grade:repeat
            zh | 同样的问题我反映了好几次                          | B | grade:repeat
            en | This is the third time I am writing to you        | B | grade:repeat
            en | I have called again and again about the bill      | B | grade:repeat
            zh | 快递员把包裹放在门口就走了，也没打电话            | C | -
            en | The courier left the parcel at the door           | C | -
            zh | 建议你们增加夜间配送服务                          | D | grade:suggestion
            zh | 希望能增加一个深色模式                            | D | grade:suggestion
            en | It would be nice to have a dark mode in the app   | D | grade:suggestion
            en | I suggest adding more payment options             | D | grade:suggestion
            """)
    void gradesBySignal(String language, String text, Grade grade, String signal) {
        Classification c = classify(text, language);
        assertThat(c.grade()).as(text + " " + c.signals()).isEqualTo(grade);
        if (!signal.equals("-")) {
            assertThat(c.signals()).as(text).contains(signal);
        }
        // the same result when the channel does not know the language
        assertThat(classify(text, null).grade()).as(text + " (language unknown)").isEqualTo(grade);
    }

    @Test
    void aSuggestionThatStatesAProblemIsNotAdvisory() {
        assertThat(classify("建议改进一下，这次收到的杯子是碎的", "zh").grade()).isEqualTo(Grade.C);
        assertThat(classify("I suggest you check your boxes, mine arrived damaged", "en").grade())
                .isEqualTo(Grade.C);
    }

    @Test
    void aWithdrawalIsAdvisoryUnlessSomethingSeriousIsStated() {
        Classification withdrawn = classify("Never mind my complaint, the parcel was with my neighbour all along.", "en");
        assertThat(withdrawn.grade()).as(withdrawn.signals().toString()).isEqualTo(Grade.D);
        assertThat(withdrawn.signals()).contains("grade:withdrawn");
        assertThat(classify("刚才说杯子漏水，后来发现是我自己没装好，请忽略", "zh").grade()).isEqualTo(Grade.D);
        // a withdrawal does not hide a loss or a safety issue
        assertThat(classify("是我自己弄错了型号，但是你们多收了我500元", "zh").grade()).isEqualTo(Grade.B);
        assertThat(classify("My mistake about the box, but the kettle did catch fire", "en").grade())
                .isEqualTo(Grade.A);
    }

    @Test
    void chineseWordsInsideOtherWordsDoNotCount() {
        // 这次卡顿 holds 次卡 (a prepaid card), 上个月卡里 holds 月卡, 是不是 holds 不是
        assertThat(classify("这次卡顿得厉害，手机用了两周就这样", "zh").type()).isEqualTo(ComplaintType.PRODUCT_QUALITY);
        assertThat(classify("你们的会员数据是不是泄露了？", "zh").type()).isEqualTo(ComplaintType.PRIVACY);
        assertThat(classify("我气炸了", "zh").type()).isEqualTo(ComplaintType.OTHER);
    }

    // ---- negations: the word is there, the thing is not ----

    @ParameterizedTest(name = "[{0}] {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            zh | 烤箱门的把手掉了，好在没有人受伤                  | C
            zh | 插座烧坏了但没有起火，也没有任何人员受伤          | C
            zh | 虽然没有造成损失，但是服务态度让人不舒服          | C
            zh | 我不是很生气，只是东西确实坏了                    | C
            zh | 并未受伤，只是杯子有裂缝                          | C
            zh | 暂时不打算找律师，先看你们怎么处理                | C
            zh | 我也不想去法院，只要换货就行                      | C
            en | The handle came off, luckily nobody was injured   | C
            en | The kettle leaks, but no damage and no injuries   | C
            en | I was not injured but the glass is cracked        | C
            en | I'm not angry, just disappointed with the service | C
            en | I do not want to involve a lawyer, just a refund  | C
            en | You should fire that employee, he was rude        | C
            en | There was no loss of data, the screen is broken   | C
            """)
    void negatedSignalsDoNotCount(String language, String text, Grade grade) {
        Classification c = classify(text, language);
        assertThat(c.grade()).as(text + " " + c.signals()).isEqualTo(grade);
    }

    @Test
    void aNegationInAnotherClauseDoesNotCancel() {
        // "没有" belongs to the first clause; the injury is stated in the second
        assertThat(classify("外包装没有破损，但孩子被里面的玻璃划伤了", "zh").grade()).isEqualTo(Grade.A);
        assertThat(classify("There was no warning. My daughter was injured.", "en").grade()).isEqualTo(Grade.A);
    }

    @Test
    void aNegatedMatchDoesNotHideALaterOneInTheSameText() {
        Classification c = classify("第一次没有受伤。第二次用的时候手被烫伤了", "zh");
        assertThat(c.grade()).isEqualTo(Grade.A);
    }

    @Test
    void phrasesThatHoldANegationWordButDoNotNegate() {
        assertThat(classify("你们再不处理，我不得不起诉", "zh").grade()).isEqualTo(Grade.A);
        assertThat(classify("Not only was it late, I was injured opening it", "en").grade()).isEqualTo(Grade.A);
    }

    // ---- amounts ----

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            这台机器2999元，开机就坏了          | B | amount
            这台机器3000元，开机就坏了          | B | amount
            这台机器3001元，开机就坏了          | A | amount>3000
            The blender cost $450 and died      | A | amount>3000
            The blender cost $400 and died      | B | amount
            I paid €390 for nothing             | A | amount>3000
            I paid HK$3000 for nothing          | B | amount
            花了一万二买的电脑，屏幕有坏点       | A | amount>3000
            """)
    void amountsGrade(String text, Grade grade, String signal) {
        Classification c = classify(text, null);
        assertThat(c.grade()).as(text + " " + c.signals()).isEqualTo(grade);
        assertThat(c.signals()).contains(signal);
        assertThat(c.amount()).isNotNull();
    }

    @Test
    void theStatedAmountIsReportedAndGradesAtTheThreshold() {
        String text = "洗衣机用了一个月就坏了";
        Classification at2999 = classifier.classify(text, "zh", null, amount("2999", "CNY"));
        Classification at3000 = classifier.classify(text, "zh", null, amount("3000", "CNY"));
        Classification at3001 = classifier.classify(text, "zh", null, amount("3001", "CNY"));
        Classification usd450 = classifier.classify(text, "zh", null, amount("450", "USD"));
        assertThat(at2999.grade()).isEqualTo(Grade.B);
        assertThat(at3000.grade()).isEqualTo(Grade.B);
        assertThat(at3001.grade()).isEqualTo(Grade.A);
        assertThat(usd450.grade()).isEqualTo(Grade.A); // 450 x 7.1 = 3195 CNY
        assertThat(usd450.amount()).isEqualTo(amount("450", "USD"));
    }

    @Test
    void theStatedAmountWinsOverTheText() {
        Classification c = classifier.classify("花了5000元", "zh", null, amount("200", "CNY"));
        assertThat(c.amount()).isEqualTo(amount("200", "CNY"));
        assertThat(c.grade()).isEqualTo(Grade.B);
    }

    @Test
    void theLargestAmountInTheTextIsReported() {
        Classification c = classify("运费20元，商品$450，另外赔了我100元", "zh");
        assertThat(c.amount()).isEqualTo(new Complaint.Amount(new BigDecimal("450"), "USD"));
        assertThat(c.grade()).isEqualTo(Grade.A);
    }

    @Test
    void noAmountWhenNoneIsWrittenOrStated() {
        Classification c = classify("订单4411已经3天没发货了，这是第3次催", "zh");
        assertThat(c.amount()).isNull();
        assertThat(c.signals()).doesNotContain("amount", "amount>3000");
    }

    // ---- types ----

    @ParameterizedTest(name = "[{0}] {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            zh | 下单一周了还没发货，物流一直不更新              | DELIVERY
            zh | 快递送错地址了                                  | DELIVERY
            zh | 运输途中被压坏了，外包装都烂了                  | DELIVERY
            en | My parcel is two weeks late and tracking has not been updated | DELIVERY
            en | The package arrived crushed                     | DELIVERY
            zh | 衣服洗了一次就掉色，质量太差                    | PRODUCT_QUALITY
            zh | 手机用了三天就开不了机                          | PRODUCT_QUALITY
            zh | 书里缺页，还有好多错别字                        | PRODUCT_QUALITY
            en | The shoes fell apart after a week, poor quality | PRODUCT_QUALITY
            en | The kettle stopped working after two days       | PRODUCT_QUALITY
            zh | 店员态度恶劣，还骂人                            | SERVICE
            zh | 客服一直不回复，打电话也没人接                  | SERVICE
            en | The staff member was rude and ignored me        | SERVICE
            en | I waited 2 hours on hold and nobody answered    | SERVICE
            zh | 结账的时候多收了我的钱                          | PRICE_BILLING
            zh | 同一笔订单重复扣款两次                          | PRICE_BILLING
            en | I was charged twice for the same order          | PRICE_BILLING
            en | There are hidden fees on my invoice             | PRICE_BILLING
            zh | 合同上写的和实际不一样，你们违约了              | CONTRACT
            zh | 健身房会员卡不给退，霸王条款                    | CONTRACT
            en | You breached the contract by changing my plan   | CONTRACT
            en | The cancellation fee is not in my agreement     | CONTRACT
            zh | 送修三次都没修好，售后还推三阻四                | AFTER_SALES
            zh | 在保修期内却拒绝保修                            | AFTER_SALES
            en | The warranty repair took a month and it still does not work properly | AFTER_SALES
            en | They refused my return even though it is under warranty | AFTER_SALES
            zh | 我的个人信息被泄露了，天天接到骚扰电话          | PRIVACY
            en | You shared my personal data without my consent  | PRIVACY
            en | I keep getting spam marketing emails            | PRIVACY
            zh | 你们好                                          | OTHER
            en | Hello there                                     | OTHER
            """)
    void typesByText(String language, String text, ComplaintType type) {
        Classification c = classify(text, language);
        assertThat(c.type()).as(text + " " + c.signals()).isEqualTo(type);
    }

    @Test
    void aKnownTypeWinsOverTheText() {
        Classification c = classifier.classify("快递送错地址了", "zh", ComplaintType.PRIVACY, null);
        assertThat(c.type()).isEqualTo(ComplaintType.PRIVACY);
        assertThat(c.department()).isEqualTo("legal");
        assertThat(c.signals()).contains("type:known").noneMatch(s -> s.startsWith("type:delivery"));
    }

    @Test
    void aNegatedTypeWordDoesNotVote() {
        Classification c = classify("外包装没有破损，但是屏幕开不了机", "zh");
        assertThat(c.type()).isEqualTo(ComplaintType.PRODUCT_QUALITY);
    }

    @Test
    void signalsNameTheRulesThatFired() {
        Classification c = classify("快递迟迟不到，已经第二次投诉了，再不处理我就打12315", "zh");
        assertThat(c.signals()).contains("type:delivery-late", "grade:repeat", "grade:12315");
        assertThat(c.type()).isEqualTo(ComplaintType.DELIVERY);
        assertThat(c.grade()).isEqualTo(Grade.A);
    }

    // ---- department and time limit ----

    @ParameterizedTest
    @EnumSource(ComplaintType.class)
    void everyTypeHasItsDepartment(ComplaintType type) {
        Map<ComplaintType, String> expected = Map.of(ComplaintType.PRODUCT_QUALITY, "quality",
                ComplaintType.SERVICE, "customer-service", ComplaintType.DELIVERY, "logistics",
                ComplaintType.PRICE_BILLING, "billing", ComplaintType.CONTRACT, "legal", ComplaintType.PRIVACY, "legal",
                ComplaintType.AFTER_SALES, "after-sales", ComplaintType.OTHER, "triage");
        assertThat(rules.departmentFor(type)).isEqualTo(expected.get(type));
        assertThat(classifier.classify("随便说说", "zh", type, null).department()).isEqualTo(expected.get(type));
    }

    @Test
    void departmentsListsEveryQueue() {
        assertThat(rules.departments()).containsExactlyInAnyOrder("quality", "customer-service", "logistics",
                "billing", "legal", "after-sales", "triage");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"A, PT8H", "B, PT24H", "C, PT48H", "D, PT48H"})
    void everyGradeHasItsTimeLimit(Grade grade, String limit) {
        assertThat(rules.timeLimit(grade)).isEqualTo(Duration.parse(limit));
    }

    @Test
    void theClassificationCarriesTheTimeLimitOfItsGrade() {
        assertThat(classify("我要起诉你们", "zh").timeLimit()).isEqualTo(Duration.ofHours(8));
        assertThat(classify("I am furious", "en").timeLimit()).isEqualTo(Duration.ofHours(24));
        assertThat(classify("The courier was late", "en").timeLimit()).isEqualTo(Duration.ofHours(48));
        assertThat(classify("I suggest a loyalty card", "en").timeLimit()).isEqualTo(Duration.ofHours(48));
    }

    // ---- robustness ----

    @Test
    void emptyOrUnknownInput() {
        Classification c = classifier.classify(null, "fr", null, null);
        assertThat(c.type()).isEqualTo(ComplaintType.OTHER);
        assertThat(c.grade()).isEqualTo(Grade.C);
        assertThat(c.department()).isEqualTo("triage");
        assertThat(classify("快递太慢了", "zh-CN").type()).isEqualTo(ComplaintType.DELIVERY);
    }

    @Test
    void fullWidthPunctuationCounts() {
        assertThat(classify("我的包裹呢！！！", "zh").grade()).isEqualTo(Grade.B);
        assertThat(classify("商品＄４５０", "zh").amount()).isEqualTo(new Complaint.Amount(new BigDecimal("450"), "USD"));
    }

    @Test
    void isThreadSafe() {
        List<String> texts = List.of("快递迟迟不到，我要去消协投诉", "The charger caught fire", "建议增加夜间配送",
                "多收了我3500元");
        List<Classification> expected = texts.stream().map(t -> classify(t, null)).toList();
        IntStream.range(0, 4000).parallel().forEach(i -> {
            int k = i % texts.size();
            assertThat(classify(texts.get(k), null)).isEqualTo(expected.get(k));
        });
    }

    @Test
    void isFast() {
        String text = ("我上个月在你们网店买了一台洗衣机，订单号20240311，价格4299元。送货比约定晚了三天，送货员态度也很差，"
                + "安装师傅说要另外收200元安装费，合同里根本没写。用了不到两周就开始漏水，地板都泡坏了，损失不小。"
                + "打了三次客服电话都没人处理，这是我第二次投诉。如果这周还不解决，我就去12315投诉，还要发微博曝光。"
                + "The machine also makes a terrible noise and I am furious. ").repeat(3);
        text = text.substring(0, 500);
        for (int i = 0; i < 20_000; i++) {
            classify(text, "zh");
        }
        int n = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            classify(text, i % 2 == 0 ? "zh" : null);
        }
        double micros = (System.nanoTime() - start) / 1000.0 / n;
        System.out.printf("classify: %.1f µs per call for a %d-character complaint%n", micros, text.length());
        assertThat(micros).as("µs per call (a loose bound: the machine is shared)").isLessThan(400);
    }

    /** amounts.currency is the currency of an amount written without one, and the one gradeAOver is counted in. */
    @Test
    void theRulesHomeCurrencyIsTheCurrencyOfAmountsWrittenWithoutOne(@TempDir Path dir) throws IOException {
        String text = "I paid 4000 for this blender and it died after a week";
        assertThat(classify(text, "en").amount()).isEqualTo(new Complaint.Amount(new BigDecimal("4000"), "CNY"));

        Path usd = dir.resolve("classification.yaml");
        String shipped = Files.readString(RULES);
        Files.writeString(usd, shipped.replace("  currency: CNY\n", "  currency: USD\n")
                .replace("    CNY: 1\n", "    CNY: 0.14\n").replace("    USD: 7.1\n", "    USD: 1\n"));
        assertThat(Files.readString(usd)).contains("currency: USD").contains("USD: 1\n").isNotEqualTo(shipped);
        ComplaintClassifier dollars = new ComplaintClassifier(ClassificationRules.load(usd));
        Classification c = dollars.classify(text, "en", null, null);
        assertThat(c.amount()).isEqualTo(new Complaint.Amount(new BigDecimal("4000"), "USD"));
        assertThat(c.signals()).contains("amount>3000");
        // 5000 yuan written as such is 700 dollars: a loss, not over 3000
        Classification yuan = dollars.classify("这台机器5000元，开机就坏了", "zh", null, null);
        assertThat(yuan.grade()).isEqualTo(Grade.B);
    }

    // ---- a bad rules file stops the start-up with a message naming the file and the key ----

    @Test
    void aBadRegexNamesTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path file = rulesWith(dir, "patterns: {en: ['\\\\b(?:late'] }", "");
        assertThatThrownBy(() -> ClassificationRules.load(file))
                .isInstanceOf(InvalidRulesException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("types[0] (id late).patterns.en[0]")
                .hasMessageContaining("invalid regular expression");
    }

    @Test
    void anUnknownTypeNamesTheKey(@TempDir Path dir) throws IOException {
        Path file = rulesWith(dir, "patterns: {en: ['late'] }", "").getParent().resolve("c.yaml");
        Files.writeString(file, Files.readString(dir.resolve("classification.yaml")).replace("type: DELIVERY",
                "type: SHIPPING"));
        assertThatThrownBy(() -> ClassificationRules.load(file))
                .hasMessageContaining("types[0] (id late).type")
                .hasMessageContaining("'SHIPPING' is not one of");
    }

    @Test
    void aMissingDepartmentNamesTheKey(@TempDir Path dir) throws IOException {
        Path file = rulesWith(dir, "patterns: {en: ['late'] }", "");
        Files.writeString(file, Files.readString(file).replace("  OTHER: triage\n", ""));
        assertThatThrownBy(() -> ClassificationRules.load(file))
                .hasMessageContaining("departments.OTHER").hasMessageContaining("is missing");
    }

    @Test
    void aGradeRuleWithoutRaiseOrSetIsRejected(@TempDir Path dir) throws IOException {
        Path file = rulesWith(dir, "patterns: {en: ['late'] }", "    - id: odd\n      patterns: {en: ['x']}\n");
        assertThatThrownBy(() -> ClassificationRules.load(file))
                .hasMessageContaining("grades.rules[0] (id odd)").hasMessageContaining("'raise'");
    }

    @Test
    void aMisspelledKeyIsRejected(@TempDir Path dir) throws IOException {
        Path file = rulesWith(dir, "patern: {en: ['late'] }", "");
        assertThatThrownBy(() -> ClassificationRules.load(file))
                .hasMessageContaining("types[0].patern").hasMessageContaining("unknown key");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("nowhere.yaml");
        assertThatThrownBy(() -> ClassificationRules.load(file))
                .isInstanceOf(InvalidRulesException.class).hasMessageContaining(file.toString());
    }

    @Test
    void brokenYamlNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("classification.yaml");
        Files.writeString(file, "types: [\n  - id: x\n  type: {{", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ClassificationRules.load(file))
                .isInstanceOf(InvalidRulesException.class).hasMessageContaining(file.toString());
    }

    /** A small valid rules file with one type rule (its pattern part given) and the given grade rules. */
    private static Path rulesWith(Path dir, String typePatterns, String gradeRules) throws IOException {
        String yaml = """
                types:
                  - id: late
                    type: DELIVERY
                    %s
                grades:
                  default: C
                  rules:
                %s
                amounts: {gradeAOver: 3000, anyLossAtLeast: B, rates: {CNY: 1}}
                timeLimits: {A: PT8H, B: PT24H, C: PT48H, D: PT48H}
                departments:
                  PRODUCT_QUALITY: quality
                  SERVICE: customer-service
                  DELIVERY: logistics
                  PRICE_BILLING: billing
                  CONTRACT: legal
                  PRIVACY: legal
                  AFTER_SALES: after-sales
                  OTHER: triage
                """.formatted(typePatterns, gradeRules.isEmpty() ? "    []" : gradeRules);
        Path file = dir.resolve("classification.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private static Complaint.Amount amount(String value, String currency) {
        return new Complaint.Amount(new BigDecimal(value), currency);
    }
}
