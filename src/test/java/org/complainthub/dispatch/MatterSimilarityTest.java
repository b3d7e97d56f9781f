package org.complainthub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MatterSimilarityTest {

    private static double sim(String a, String b) {
        return MatterSimilarity.similarity(MatterSimilarity.normalise(a), MatterSimilarity.normalise(b));
    }

    @Test
    void normalisesWidthCasePunctuationAndSpaces() {
        assertThat(MatterSimilarity.normalise("Ｔｈｅ  Kettle，LEAKS!")).isEqualTo("thekettleleaks");
        assertThat(MatterSimilarity.normalise("快递 三天，没送到。")).isEqualTo("快递三天没送到");
        assertThat(sim("The kettle leaks!", "the KETTLE leaks")).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void chineseAboutTheSameMatterIsAboveTheThresholdAndAnotherMatterBelow() {
        String first = "快递三天都没送到，客服电话也打不通。";
        String again = "我的快递到现在还没送到，客服电话一直打不通！";
        String other = "洗衣机用了三天就坏了，要求退货。";
        System.out.printf("zh same %.3f, other %.3f%n", sim(first, again), sim(first, other));
        assertThat(sim(first, again)).isGreaterThan(0.5);
        assertThat(sim(first, other)).isLessThan(0.5);
    }

    @Test
    void englishAboutTheSameMatterIsAboveTheThresholdAndAnotherMatterBelow() {
        String first = "The washing machine broke after three days and nobody came to repair it.";
        String again = "My washing machine broke after 3 days, still nobody came to repair it!";
        String other = "I was charged twice for the delivery fee on my last invoice.";
        System.out.printf("en same %.3f, other %.3f%n", sim(first, again), sim(first, other));
        assertThat(sim(first, again)).isGreaterThan(0.5);
        assertThat(sim(first, other)).isLessThan(0.5);
    }

    @Test
    void emptyOrUnrelatedScriptsShareNothing() {
        assertThat(sim("", "anything")).isZero();
        assertThat(sim("快递没送到", "parcel not delivered")).isZero();
    }

    @Test
    void theSketchIsBoundedWithoutCuttingACharacter() {
        String s = MatterSimilarity.sketch("𠀀".repeat(400));
        assertThat(s.length()).isLessThanOrEqualTo(MatterSimilarity.SKETCH_LENGTH);
        assertThat(s.codePoints().allMatch(cp -> cp == 0x20000)).isTrue();
    }
}
