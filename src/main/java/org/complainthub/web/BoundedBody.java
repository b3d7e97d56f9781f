package org.complainthub.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * A request body that ends after {@code limit} bytes, whatever the client sends: what reads it (Camel's binding, Spring's
 * converters) never holds more. {@code onCut} runs each time a read finds the limit reached, so the caller can tell a
 * body that was cut from one that ended.
 */
public final class BoundedBody extends ServletInputStream {

    private final ServletInputStream in;
    private final Runnable onCut;
    private long left;

    public BoundedBody(ServletInputStream in, long limit, Runnable onCut) {
        this.in = in;
        this.left = limit;
        this.onCut = onCut;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            onCut.run();
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            left--;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (left <= 0) {
            onCut.run();
            return -1;
        }
        int n = in.read(buf, off, (int) Math.min(len, left));
        if (n > 0) {
            left -= n;
        }
        return n;
    }

    @Override
    public boolean isFinished() {
        return left <= 0 || in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }
}
