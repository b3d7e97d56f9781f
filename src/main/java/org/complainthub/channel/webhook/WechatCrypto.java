package org.complainthub.channel.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat safe mode (安全模式): the message is AES-256-CBC encrypted with the EncodingAESKey (IV = the key's first 16
 * bytes), laid out as random(16) ‖ length(4, big-endian) ‖ XML ‖ AppId, padded PKCS#7-style to a 32-byte block.
 * Java's PKCS5Padding refuses pads of 17-32, so the pad is checked and stripped here (CHANNEL_FORMATS.md A3.3).
 */
public final class WechatCrypto {

    private final SecretKeySpec key;
    private final IvParameterSpec iv;
    private final byte[] appId;

    /** @param encodingAesKey the 43 characters from the console  @param appId the account's AppId */
    public WechatCrypto(String encodingAesKey, String appId) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encodingAesKey + "=");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the EncodingAESKey is not 43 base64 characters");
        }
        if (encodingAesKey.length() != 43 || raw.length != 32) {
            throw new IllegalArgumentException("the EncodingAESKey is not 43 base64 characters");
        }
        this.key = new SecretKeySpec(raw, "AES");
        this.iv = new IvParameterSpec(Arrays.copyOf(raw, 16));
        this.appId = appId.getBytes(StandardCharsets.UTF_8);
    }

    /** The message XML inside {@code encrypt} (base64), or {@link Refused} with the reason; never a crypto exception. */
    public String decrypt(String encrypt) {
        byte[] plain;
        try {
            byte[] cipherText = Base64.getDecoder().decode(encrypt.strip());
            if (cipherText.length == 0 || cipherText.length % 32 != 0) {
                throw new Refused("the ciphertext is not whole 32-byte blocks");
            }
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, iv);
            plain = cipher.doFinal(cipherText);
        } catch (IllegalArgumentException e) {
            throw new Refused("the ciphertext is not base64");
        } catch (GeneralSecurityException e) {
            throw new Refused("the ciphertext cannot be decrypted");
        }
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > 32 || pad > plain.length) {
            throw new Refused("bad padding");
        }
        for (int i = plain.length - pad; i < plain.length; i++) {
            if ((plain[i] & 0xff) != pad) {
                throw new Refused("bad padding");
            }
        }
        int end = plain.length - pad;
        if (end < 20) {
            throw new Refused("too short");
        }
        int length = ByteBuffer.wrap(plain, 16, 4).getInt();
        if (length < 0 || length > end - 20) {
            throw new Refused("the message length is larger than the message");
        }
        byte[] trailer = Arrays.copyOfRange(plain, 20 + length, end);
        if (!java.security.MessageDigest.isEqual(trailer, appId)) {
            throw new Refused("the message was encrypted for another AppId");
        }
        return new String(plain, 20, length, StandardCharsets.UTF_8);
    }

    /** A message that is not a valid safe-mode message for this account. */
    public static class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason);
        }
    }
}
