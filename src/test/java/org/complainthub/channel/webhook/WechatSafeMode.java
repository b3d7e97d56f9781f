package org.complainthub.channel.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** What WeChat does before it sends a safe-mode message (the test side of {@link WechatCrypto}), for own vectors. */
public final class WechatSafeMode {

    private WechatSafeMode() {
    }

    /** random(16) ‖ length ‖ xml ‖ appId, padded to 32 bytes, AES-256-CBC, base64; {@code pad} overrides the pad value. */
    static String encrypt(String encodingAesKey, String appId, String xml, byte[] random16, Integer pad) throws Exception {
        return encrypt(encodingAesKey, appId, xml.getBytes(StandardCharsets.UTF_8), random16, pad);
    }

    /** The same for a message given as bytes (which need not be UTF-8). */
    public static String encrypt(String encodingAesKey, String appId, byte[] msg, byte[] random16, Integer pad) throws Exception {
        byte[] key = Base64.getDecoder().decode(encodingAesKey + "=");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(random16);
        out.write(ByteBuffer.allocate(4).putInt(msg.length).array());
        out.write(msg);
        out.write(appId.getBytes(StandardCharsets.UTF_8));
        int n = 32 - out.size() % 32;
        for (int i = 0; i < n; i++) {
            out.write(pad == null ? n : pad);
        }
        Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
        return Base64.getEncoder().encodeToString(c.doFinal(out.toByteArray()));
    }

    /** The pad WeChat would use for this message. */
    static int padOf(String appId, String xml) {
        int len = 20 + xml.getBytes(StandardCharsets.UTF_8).length + appId.getBytes(StandardCharsets.UTF_8).length;
        return 32 - len % 32;
    }
}
