package org.complainthub.channel.hotline;

import java.nio.charset.Charset;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The hotline channel's settings ({@code hub.hotline.*}, channel-config/hotline/channel.properties). A call-log format
 * is data: its columns, quoting, id and caller columns, time columns, the filter that says which calls carry a
 * complaint, and its mapping file. A new export format is a new {@code hub.hotline.formats.<name>.*} block and a
 * mapping file.
 *
 * @param format         the format of the files in the drop folder and on the SFTP server
 * @param encoding       the files' character set when they carry no byte-order mark (UTF-8, GB18030, GBK)
 * @param timeZone       the zone the call-log times are written in (call logs carry none)
 * @param batchSize      calls per broker transaction
 * @param maxRecordBytes a longer line is quarantined unread
 * @param maxRecordLines a quoted field may span this many physical lines (agents' notes with line breaks)
 * @param maxCellChars   a longer cell is quarantined
 * @param withheld       caller numbers that mean "no number" (lower case): no phone, no SMS
 * @param trunkPrefixes  digits a PBX puts before the caller's number (an outside-line prefix), tried off when the
 *                       number is not valid with them
 */
@ConfigurationProperties(prefix = "hub.hotline")
public record HotlineSettings(String format, Charset encoding, ZoneId timeZone, int batchSize, int maxRecordBytes,
                              int maxRecordLines, int maxCellChars, List<String> withheld, List<String> trunkPrefixes,
                              Map<String, Format> formats) {

    /**
     * One call-log format.
     *
     * @param header         the first line names the columns
     * @param columns        the field names, in file order (no header), or the fields taken from the header
     * @param headerNames    with a header: the header text of each of {@code columns}, same order (empty: the same names)
     * @param delimiter      the cell separator
     * @param quoting        {@code rfc4180}, or {@code freeswitch}: every cell quoted, quotes inside never escaped
     * @param mapping        the JSONata file in mappings/ that turns a call into a complaint record
     * @param idColumn       the call's unique id (empty: a hash of the row is its id)
     * @param callerColumn   the caller's number, normalised to E.164 as call.phone
     * @param timeColumns    columns holding times, read with timePattern in the channel's time zone
     * @param timePattern    java.time pattern of those times
     * @param integerColumns columns that must hold a whole number of zero or more (durations)
     * @param take           JSONata condition on the call: true for a call with complaint content; others are skipped
     * @param encoding       this format's character set when not the channel's (a BOM still wins)
     */
    public record Format(boolean header, List<String> columns, List<String> headerNames, String delimiter, String quoting,
                         String mapping, String idColumn, String callerColumn, List<String> timeColumns,
                         String timePattern, List<String> integerColumns, String take, Charset encoding) {
        public Format {
            columns = columns == null ? List.of() : List.copyOf(columns);
            headerNames = headerNames == null || headerNames.isEmpty() ? columns : List.copyOf(headerNames);
            delimiter = delimiter == null || delimiter.isEmpty() ? "," : delimiter;
            quoting = quoting == null ? "rfc4180" : quoting;
            timeColumns = timeColumns == null ? List.of() : List.copyOf(timeColumns);
            integerColumns = integerColumns == null ? List.of() : List.copyOf(integerColumns);
            timePattern = timePattern == null ? "yyyy-MM-dd HH:mm:ss" : timePattern;
        }
    }

    public HotlineSettings {
        withheld = withheld == null ? List.of() : withheld.stream().map(w -> w.strip().toLowerCase()).toList();
        trunkPrefixes = trunkPrefixes == null ? List.of() : List.copyOf(trunkPrefixes);
        formats = formats == null ? Map.of() : Map.copyOf(formats);
        batchSize = batchSize <= 0 ? 200 : batchSize;
        maxRecordBytes = maxRecordBytes <= 0 ? 1 << 20 : maxRecordBytes;
        maxRecordLines = maxRecordLines <= 0 ? 20 : maxRecordLines;
        maxCellChars = maxCellChars <= 0 ? 20000 : maxCellChars;
    }
}
