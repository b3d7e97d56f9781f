package org.complainthub.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.complainthub.complaint.Complaint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AmountReaderTest {

    private final AmountReader reader = new AmountReader();

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            这台电视6000元买的，才用了一周                 | 6000  | CNY
            价格¥6,000，屏幕有坏点                        | 6000  | CNY
            我付了￥3500                                   | 3500  | CNY
            花了6千块就买了这个                            | 6000  | CNY
            五千元的手机用了三天就坏了                      | 5000  | CNY
            白白浪费了两千块钱                              | 2000  | CNY
            这台电脑花了一万二，结果开不了机                | 12000 | CNY
            一万二的电脑                                    | 12000 | CNY
            损失了1.2万                                     | 12000 | CNY
            1.2万的空调                                     | 12000 | CNY
            维修要3万元                                     | 30000 | CNY
            They charged RMB 4500 for the repair            | 4500  | CNY
            I paid 800 yuan for it                          | 800   | CNY
            押金人民币800还没退                             | 800   | CNY
            800人民币                                       | 800   | CNY
            The blender cost $450 and broke                 | 450   | USD
            refund of US$120 please                         | 120   | USD
            a charge of USD 120 appeared                    | 120   | USD
            120 dollars gone                                | 120   | USD
            I paid €500 for the course                      | 500   | EUR
            500 euros for a broken sofa                     | 500   | EUR
            HK$300 deposit                                  | 300   | HKD
            300港币                                         | 300   | HKD
            100美元                                         | 100   | USD
            两千五百块                                      | 2500  | CNY
            花了两千五                                      | 2500  | CNY
            三千五百元                                      | 3500  | CNY
            三百五块钱                                      | 350   | CNY
            一万零五百元                                    | 10500 | CNY
            十万元                                          | 100000 | CNY
            壹仟贰佰元                                      | 1200  | CNY
            七千多块的冰箱                                  | 7000  | CNY
            全款4,999.50元                                  | 4999.5 | CNY
            ￥8000                                          | 8000  | CNY
            买了个手机，5000元，两天就坏了                   | 5000  | CNY
            the repair cost me 450                          | 450   | CNY
            """)
    void readsAmountsWrittenTheUsualWays(String text, BigDecimal value, String currency) {
        List<Complaint.Amount> found = reader.read(text);
        assertThat(found).as(text).hasSize(1);
        assertThat(found.get(0).value()).as(text).isEqualByComparingTo(value);
        assertThat(found.get(0).currency()).as(text).isEqualTo(currency);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "订单4411一直没有发货",
            "我的电话是13812345678，请回电",
            "call me on 020-8765-4321",
            "2024年3月5日下单，3月8号还没到",
            "已经等了3天",
            "I ordered 2 items and got 1",
            "这是我第3次打电话了",
            "order #4411 placed on 2024-03-05",
            "two pieces: 两块玻璃都碎了",
            "这车才开了三万公里",
            "我十分生气",
            "一千个理由也不能这样",
            "waited 45 minutes at the counter",
            "打折20%后还是很贵",
            "万一再坏了怎么办",
            "iPhone 15 Pro, version 17.2",
    })
    void numbersThatAreNotMoneyDoNotCount(String text) {
        assertThat(reader.read(text)).as(text).isEmpty();
    }

    @Test
    void returnsEveryAmountInOrder() {
        List<Complaint.Amount> found = reader.read("先付了200元定金，后来又付了$450，订单号5566");
        assertThat(found).extracting(Complaint.Amount::currency).containsExactly("CNY", "USD");
        assertThat(found.get(0).value()).isEqualByComparingTo("200");
        assertThat(found.get(1).value()).isEqualByComparingTo("450");
    }

    @Test
    void nothingInEmptyText() {
        assertThat(reader.read(null)).isEmpty();
        assertThat(reader.read("")).isEmpty();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"五, 5", "十五, 15", "二十, 20", "一百零八, 108", "三千五百, 3500", "两千五, 2500", "一万二, 12000",
            "一万二千三百, 12300", "十万, 100000", "一亿两千万, 120000000", "二零二四, 2024", "壹仟贰佰, 1200"})
    void readsChineseNumerals(String numeral, long value) {
        assertThat(AmountReader.chinese(numeral)).isEqualByComparingTo(BigDecimal.valueOf(value));
    }
}
