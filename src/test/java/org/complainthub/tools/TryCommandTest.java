package org.complainthub.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code try} on the repository's own folders with sample payloads: the record, its classification with the rules
 * that fired, and every validation error, with the exit code IT's scripts see. No hub, broker or database.
 */
class TryCommandTest {

    /** What a run printed, and its exit code. */
    record Run(int exit, String out) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Tools.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aWebformJsonSubmissionShowsItsRecordClassificationAndRules() {
        Run r = run("try", "webform", "src/test/resources/golden/webform-api/full.in.json");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("as channel webform: mappings/webform-api.jsonata")
                .contains("\"channel\" : \"webform\"").contains("\"phone\" : \"+8613900139000\"") // validated: E.164
                .contains("type        PRODUCT_QUALITY (set by the mapping)").contains("grade       A")
                .contains("department  quality").contains("(8h after it was received: grade A's time limit)")
                .contains("rules fired type:known, grade:problem, amount>3000").contains("validation: valid")
                .contains("result: 1 valid, 0 not");
    }

    @Test
    void theWebformsFormBodyGoesThroughItsFormMapping() {
        Run r = run("try", "webform", "src/test/resources/tools/webform-form.txt");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("mappings/webform-form.jsonata").contains("\"name\" : \"李雷\"")
                .contains("type        DELIVERY").contains("rules fired type:delivery").contains("validation: valid");
    }

    @Test
    void aMailIsDecodedByTheEmailChannelsOwnDecoder() {
        Run r = run("try", "email", "src/test/resources/email/multipart_mixed_attachment.eml");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("(eml) as channel email: mappings/email.jsonata")
                .contains("\"email\" : \"wang.fang@example.cn\"").contains("\"subject\" : \"投诉单\"")
                .contains("\"fileName\" : \"投诉单-4411.pdf\"").contains(Samples.NOT_STORED)
                .contains("classification:").contains("validation: valid");
    }

    @Test
    void aHotlineCallLogRowWithItsHeader() {
        Run r = run("try", "hotline", "src/test/resources/tools/hotline-call.csv");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("a hotline call log of format generic: mappings/hotline-generic.jsonata")
                .contains("== line 2 ==").contains("\"sourceId\" : \"CALL-0001\"").contains("\"phone\" : \"+8613800138000\"")
                .contains("type        DELIVERY (set by the mapping)").contains("department  logistics")
                .contains("1 call(s) read, 0 skipped");
    }

    @Test
    void aCallLogWithUnreadableRowsShowsEachAsTheHubWouldQuarantineIt() {
        Run r = run("try", "hotline-generic.jsonata", "src/test/resources/hotline/generic.csv");
        assertThat(r.exit()).as("some rows are refused: " + r.out()).isEqualTo(1);
        assertThat(r.out()).contains("\"sourceId\" : \"CALL-0001\"").contains("refused (the hub quarantines the row");
    }

    @Test
    void aSlackRequestGoesThroughItsMappingThenTheWebhookMessageMapping() {
        Run r = run("try", "slack", "src/test/resources/golden/slack/message.in.json");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("mappings/slack.jsonata (its messages), then mappings/webhook-message.jsonata")
                .contains("== message 1 of 1: channel slack, sourceId c-1 ==").contains("\"handle\" : \"U123\"")
                .contains("type        PRICE_BILLING").contains("rules fired type:billing").contains("validation: valid");
    }

    @Test
    void aWechatXmlPushByItsMappingFile() {
        Run r = run("try", "mappings/wechat.jsonata", "src/test/resources/tools/wechat-text.xml");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("(xml) as a request to the wechat webhook").contains("\"channel\" : \"wechat\"")
                .contains("\"description\" : \"充电宝充不进电，要求退款\"").contains("validation: valid");
    }

    @Test
    void aMetaRequestWithSeveralEventsShowsEachCustomerMessage() {
        Run r = run("try", "meta", "src/test/resources/golden/meta/messenger-batch.in.json");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("channel messenger, sourceId m_1").contains("media item(s): the hub fetches them")
                .doesNotContain("sourceId m_2"); // the page's own echo is no customer message
    }

    @Test
    void aNeutralSocialMessageByTheWebhookMessageMappingKeepsItsChannel() {
        Run r = run("try", "webhook-message.jsonata", "src/test/resources/golden/webhook-message/follow-up.in.json");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("a social platform's neutral message: mappings/webhook-message.jsonata")
                .contains("\"channel\" : \"wechat\"").contains("\"threadOf\" : \"C-20261120-000101\"");
    }

    @Test
    void anInvalidPayloadListsEveryValidationError() {
        Run r = run("try", "webform-api.jsonata", "src/test/resources/tools/invalid-webform.json");
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("validation: 5 error(s)")
                .contains("- description [required]: describe what happened")
                .contains("- subject [invalid]: subject contains control characters")
                .contains("- customer.email [invalid]: not an email address")
                .contains("- customer.phone [invalid]: not a phone number")
                .contains("- customer.language [invalid]: language must be zh or en")
                .contains("record:").contains("classification:").contains("result: 0 valid, 1 not");
    }

    @Test
    void aFormWithoutConsentIsRefusedAsTheFormWouldBe() {
        Run r = run("try", "webform", "src/test/resources/tools/webform-form.txt");
        assertThat(r.out()).doesNotContain("consent_required");
        Run without = run("try", "webform", write("customer.phone=13800138000&description=late&colour=red"));
        assertThat(without.exit()).isEqualTo(1);
        assertThat(without.out()).contains("- colour [unknown_field]: unknown field colour")
                .contains("- consent [consent_required]");
    }

    @Test
    void usageErrorsAndUnreadableFilesExitWithTwo() {
        assertThat(run("try", "nosuch", "src/test/resources/tools/webform-form.txt").out())
                .contains("no channel or webhook platform nosuch");
        assertThat(run("try", "nosuch", "src/test/resources/tools/webform-form.txt").exit()).isEqualTo(2);
        assertThat(run("try", "webform", "no/such/sample.json").exit()).isEqualTo(2);
        assertThat(run("try", "webform").exit()).isEqualTo(2);
        assertThat(run("try", "nosuch.jsonata", "src/test/resources/tools/webform-form.txt").exit()).isEqualTo(2);
        assertThat(run("try", "webform", write("{not json")).exit()).isEqualTo(2);
        assertThat(run("check", "--colour", "red").exit()).isEqualTo(2);
        assertThat(run("try", "--help").exit()).isZero();
    }

    private static String write(String content) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("try-sample-", content.startsWith("{") ? ".json" : ".txt");
            f.toFile().deleteOnExit();
            java.nio.file.Files.writeString(f, content, StandardCharsets.UTF_8);
            return f.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
