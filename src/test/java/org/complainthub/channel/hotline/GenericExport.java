package org.complainthub.channel.hotline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Writes a large call-log export in the generic format for the crash test and the benchmark: every 10th call
 * unanswered (skipped), every 100th with an unreadable time (quarantined), the rest complaints with varied notes.
 */
public final class GenericExport {

    private static final String[] NOTES = {
            "快递三天都没送到，电话也打不通。", "洗衣机用了三天就坏了，要求换货。", "门店店员态度很差，要求道歉。",
            "The parcel arrived damaged and the box was wet.", "多收了我50元运费，请退款。", "维修了两次还是漏水。"};

    /** What a file holds: the call ids that must become complaints, and how many rows are bad. */
    public record Written(Set<String> complaintIds, int badRows, int skippedRows) {
    }

    private GenericExport() {
    }

    /** Writes under a temporary name and renames it into place, as an export job should. */
    public static Written write(Path file, int rows) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        int bad = 0;
        int skipped = 0;
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\r\n");
            for (int i = 0; i < rows; i++) {
                String id = "BULK-" + i;
                String phone = "1380013" + String.format("%04d", i % 10000);
                String time = String.format("2026-11-20 %02d:%02d:%02d", 8 + i % 10, i % 60, (i / 60) % 60);
                if (i % 100 == 99) {
                    time = "yesterday";
                    bad++;
                } else if (i % 10 == 9) {
                    skipped++;
                } else {
                    ids.add(id);
                }
                String disposition = i % 10 == 9 ? "Unanswered" : "Answered";
                String notes = i % 10 == 9 ? "" : "\"" + NOTES[i % NOTES.length] + " 订单" + (4000 + i) + "\"";
                w.write(phone + ",客户" + i + ",坐席" + (i % 20) + "," + time + ",120," + disposition + ",," + notes
                        + ",,DD" + i + "," + id + "\r\n");
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return new Written(ids, bad, skipped);
    }
}
