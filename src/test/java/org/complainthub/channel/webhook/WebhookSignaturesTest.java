package org.complainthub.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The signature primitives and WeChat's safe mode against the worked examples and vendor vectors of CHANNEL_FORMATS.md. */
class WebhookSignaturesTest {

    static final String META_PAGE = SocialWebhooksTest.META_PAGE;
    static final String X_DM = "{\"for_user_id\":\"4337869213\",\"direct_message_events\":[{\"type\":\"message_create\",\"id\":\"954491830116155396\",\"created_timestamp\":\"1718000300000\",\"message_create\":{\"target\":{\"recipient_id\":\"4337869213\"},\"sender_id\":\"3001969357\",\"source_app_id\":\"13090192\",\"message_data\":{\"text\":\"Your courier lost my parcel\",\"entities\":{\"hashtags\":[],\"symbols\":[],\"user_mentions\":[],\"urls\":[]}}}}],\"users\":{\"3001969357\":{\"id\":\"3001969357\",\"created_timestamp\":\"1422556069340\",\"name\":\"Jordan\",\"screen_name\":\"jordan_cust\",\"protected\":false,\"verified\":false,\"followers_count\":10,\"friends_count\":5,\"statuses_count\":100},\"4337869213\":{\"id\":\"4337869213\",\"created_timestamp\":\"1448312972328\",\"name\":\"Acme Care\",\"screen_name\":\"AcmeCare\",\"protected\":false,\"verified\":true,\"followers_count\":5000,\"friends_count\":10,\"statuses_count\":800}}}";
    static final String SLACK_PUBLISHED_BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    static final String TENCENT_ENCRYPT = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
    static final String OWN_AES_KEY = "L6aLFvSPsv0jR1bRygouGn3alkIsyqM+PsdjWoi4Y+M";
    static final String OWN_APP_ID = "wxd1e2f3a4b5c6d7e8";
    static final String OWN_ENCRYPT = "pu3JnTjZqIVa0e6mCQU6u40AaI0iufV/RD3L3UnUHEXSEFkAofFGzM7sRFJ+KqmuLSizgf4TD+A1xOLMIhzNWE7LvD6MgiRmsBcrunhsi5BepR6IESUNXUalSIe8gs/Vue/1lB0ZOQLiZK4Kzhma/zHAvoYk65Z8KofMtordl2t2EuK8aQxQCH1RtqynaS/4BbCkD8GhEbHXIYu9bwqiBwBHmTS49BUedKZPunvd9igEOS5hfeYAA4dEVtuRTIBz/B35qrjdTVhuvOUQL5eGAzKPPhyxvrcx/E4Tftiq4VnANi6lbMVTUeqWqnvru79j0L4nN66FLHghuut2dmly9M5OTrzQBCaTKAKHiadeBQDf2/3gWOtRgta40kAA2DycgFjgqaPLDGmr107O63t9PcCm9SbDjkFUoPdNxFQpHSpg4IC/bjBXro1MQgUNd6AGrhVlE/icoWf3w/KGqMrasg==";
    static final String PLAIN_XML = "<xml>\n<ToUserName><![CDATA[gh_1a2b3c4d5e6f]]></ToUserName>\n<FromUserName><![CDATA[oAbCdEfGhIjKlMnOpQrStUvWxYz0]]></FromUserName>\n<CreateTime>1718000600</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[我的快递破损了，要求退款]]></Content>\n<MsgId>24612345678901234</MsgId>\n</xml>";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void metaWorkedExamples() {
        assertThat(utf8(META_PAGE)).hasSize(258);
        assertThat(WebhookSignatures.meta("meta-app-secret-demo", utf8(META_PAGE),
                "sha256=a862b85975095a87f15402fd8c7462585fb7f54baf8a32b241dc1d9b8b36e620")).isTrue();
        assertThat(utf8(SocialWebhooksTest.META_WHATSAPP)).hasSize(471);
        assertThat(WebhookSignatures.meta("meta-app-secret-demo", utf8(SocialWebhooksTest.META_WHATSAPP),
                "sha256=b979cf63b97d5169fd536560ef8660b99f519d7c91dadcaaa0a356dd748a2b17")).isTrue();
        assertThat(WebhookSignatures.meta("meta-app-secret-demo", utf8(META_PAGE),
                "a862b85975095a87f15402fd8c7462585fb7f54baf8a32b241dc1d9b8b36e620")).as("no prefix").isFalse();
        assertThat(WebhookSignatures.meta("another", utf8(META_PAGE),
                "sha256=a862b85975095a87f15402fd8c7462585fb7f54baf8a32b241dc1d9b8b36e620")).isFalse();
    }

    @Test
    void xCrcAndDirectMessageWorkedExamples() {
        assertThat(WebhookSignatures.xToken("x-consumer-secret-demo", utf8("9b4507b3-9040-4669-9ca3-6b94edb50553")))
                .isEqualTo("sha256=G7VtkghrqVUbm/fIy8+ezVyBpIS/EdAJHZoQdCmlFpI=");
        assertThat(utf8(X_DM)).hasSize(803);
        assertThat(WebhookSignatures.x("x-consumer-secret-demo", utf8(X_DM), "sha256=nDRE+DCl+pXVfj3cz1vyuCLF6Q+LctUBzjWpnSnw7lo=")).isTrue();
        assertThat(WebhookSignatures.x("x-consumer-secret-demo", utf8(X_DM), "sha256=nDRE+DCl+pXVfj3cz1vyuCLF6Q+LctUBzjWpnSnw7lo")).as("unpadded").isFalse();
        assertThat(WebhookSignatures.x("x-consumer-secret-demo", utf8(X_DM), "sha256=nDRE-DCl-pXVfj3cz1vyuCLF6Q-LctUBzjWpnSnw7lo=")).as("URL-safe").isFalse();
    }

    @Test
    void slackPublishedExampleAndWorkedExamples() {
        assertThat(WebhookSignatures.slack("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", utf8(SLACK_PUBLISHED_BODY),
                "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")).isTrue();
        assertThat(WebhookSignatures.slack("8f742231b10e8888abcd99yyyzzz85a5", "1531420619", utf8(SLACK_PUBLISHED_BODY),
                "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")).as("another timestamp").isFalse();
        assertThat(WebhookSignatures.slack("slack-signing-secret-demo", "1718000000", utf8(SocialWebhooksTest.SLACK_URL_VERIFICATION),
                "v0=08c94fba2c7400719ba728a5941e6d7d04075ff81ded975bac84602960d9ac07")).isTrue();
        assertThat(utf8(SocialWebhooksTest.SLACK_EVENT)).hasSize(509);
        assertThat(WebhookSignatures.slack("slack-signing-secret-demo", "1718000400", utf8(SocialWebhooksTest.SLACK_EVENT),
                "v0=413eb1dc03bf6c9d2bc7a0d9f8dd607982c28762899b81e0f7be2ad74509dfd1")).isTrue();
    }

    @Test
    void wechatSignatureOfficialAndOwnExamplesAreSortedNotConcatenated() {
        assertThat(WebhookSignatures.wechat("AAAAA", "1714037059", "486452656")).isEqualTo("899cf89e464efb63f54ddac96b0a0a235f53aa78");
        assertThat(WebhookSignatures.wechat("intakeToken2024", "1718000600", "736192845")).isEqualTo("6dd8035fc888c448afe659a8088d2c80efeee2c7");
    }

    @Test
    void tencentSampleVectorVerifiesAndDecrypts() {
        assertThat(WebhookSignatures.wechat("spamtest", "1409735669", "1320562132", TENCENT_ENCRYPT))
                .isEqualTo("5d197aaffba7e9b25a30732f161a50dee96bd5fa");
        String xml = new WechatCrypto("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx2c2769f8efd9abc2").decrypt(TENCENT_ENCRYPT);
        assertThat(xml.getBytes(StandardCharsets.UTF_8)).hasSize(280);
        assertThat(xml).startsWith("<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>")
                .contains("<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>");
        assertThat(SafeXml.flat(utf8(xml))).containsEntry("MsgId", "6054768590064713728").containsEntry("Content", "abcdteT");
        assertThatThrownBy(() -> new WechatCrypto("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxANOTHER").decrypt(TENCENT_ENCRYPT))
                .isInstanceOf(WechatCrypto.Refused.class).hasMessageContaining("AppId");
    }

    @Test
    void ownVectorDecryptsToThePlainSampleAndBadPaddingIsRefusedWithoutACryptoException() throws Exception {
        assertThat(WebhookSignatures.wechat("intakeToken2024", "1718000601", "1320562132", OWN_ENCRYPT))
                .isEqualTo("9d4d6ae5e2fc39645bda955e0bb4f2744dec5ac4");
        WechatCrypto crypto = new WechatCrypto(OWN_AES_KEY, OWN_APP_ID);
        assertThat(crypto.decrypt(OWN_ENCRYPT)).isEqualTo(PLAIN_XML);
        byte[] random = utf8("abcdefghijklmnop");
        assertThat(WechatSafeMode.encrypt(OWN_AES_KEY, OWN_APP_ID, PLAIN_XML, random, null)).isEqualTo(OWN_ENCRYPT);
        for (int pad : new int[] {0, 33, 200}) {
            String bad = WechatSafeMode.encrypt(OWN_AES_KEY, OWN_APP_ID, PLAIN_XML, random, pad);
            assertThatThrownBy(() -> crypto.decrypt(bad)).isInstanceOf(WechatCrypto.Refused.class);
        }
        assertThatThrownBy(() -> crypto.decrypt("not base64!")).isInstanceOf(WechatCrypto.Refused.class);
        assertThatThrownBy(() -> crypto.decrypt(OWN_ENCRYPT.substring(0, 40))).isInstanceOf(WechatCrypto.Refused.class);
    }

    @Test
    void aPadOf32WhichJavaPkcs5RefusesIsStrippedByHand() throws Exception {
        String xml = PLAIN_XML.replace("我的快递破损了，要求退款", "退款" + "!".repeat(1));
        while (WechatSafeMode.padOf(OWN_APP_ID, xml) != 32) {
            xml = xml.replace("退款", "退款!");
        }
        String enc = WechatSafeMode.encrypt(OWN_AES_KEY, OWN_APP_ID, xml, utf8("abcdefghijklmnop"), null);
        assertThat(new WechatCrypto(OWN_AES_KEY, OWN_APP_ID).decrypt(enc)).isEqualTo(xml);
    }

    @Test
    void xmlWithADoctypeIsRefused() {
        assertThatThrownBy(() -> SafeXml.flat(utf8("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><Content>&x;</Content></xml>")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SafeXml.flat(utf8("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><xml><Content>&lol2;</Content></xml>")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLoneDigitOneToFiveIsAScore() {
        assertThat(SocialMessages.score(" 4 ")).contains(4);
        assertThat(SocialMessages.score("５")).contains(5);
        assertThat(SocialMessages.score("0")).isEmpty();
        assertThat(SocialMessages.score("6")).isEmpty();
        assertThat(SocialMessages.score("45")).isEmpty();
        assertThat(SocialMessages.score("a")).isEmpty();
    }
}
