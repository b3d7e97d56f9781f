package org.complainthub.channel.hotline;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.complainthub.channel.CsvCells;
import org.complainthub.channel.hotline.HotlineSettings.Format;
import org.complainthub.intake.BatchIntake;
import org.complainthub.intake.BatchIntake.Item;

/**
 * One call-log file, read as a stream of batches of calls: never more than one batch in memory, whatever the file's
 * size. Each physical line is decoded on its own (so a line in the wrong encoding is one bad row, not a bad file);
 * a quoted cell may span lines (agents' notes with line breaks) up to hub.hotline.max-record-lines. Each call becomes
 * the mapping's input: its cells by column name (empty cells left out), times as ISO 8601 with the feed's offset,
 * and {@code call} {file, line, sourceId, phone (E.164, absent when withheld), raw}. A row that cannot be read is an
 * item with the reason and its raw bytes, for the quarantine; a call the format's filter does not take is skipped and
 * counted.
 * <p>
 * A quarantined row carries what it takes to read it again (the quarantine replay, {@link #reread}): its file name and
 * line number, the format's name, the encoding and whether a byte-order mark chose it, the file's header row, and the
 * call's source id once the row could be read.
 */
public final class CallLog implements Iterator<List<Item>>, Closeable {

    private static final int PEEK = 8192;
    private static final int RAW_INLINE = 65536;
    private static final int JOINT_READ_CHARS = 1 << 20;
    private static final DateTimeFormatter REPORT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS");

    private record Line(int number, byte[] bytes, boolean tooLong) {
    }

    /** A record: its first line's number, its raw bytes, its text (null when it could not be decoded). */
    private record Record(int line, byte[] raw, String text, String problem) {
    }

    private static final class RowProblem extends Exception {
        RowProblem(String message) {
            super(message, null, false, false);
        }
    }

    private final InputStream in;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final String fileName;
    private final Format format;
    private final HotlineSettings settings;
    private final Jsonata take;
    private final CallerNumbers callers;
    private final DateTimeFormatter timeFormat;
    private final ZoneId zone;
    private final CSVFormat csv;
    private final Pattern freeswitchSplit;
    private final Deque<Line> pending = new ArrayDeque<>();
    private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(512);
    private final byte[] chunk = new byte[1 << 16]; // read from the file a chunk at a time, scanned here for line ends
    private int pos;
    private int limit;
    private final int[] columnIndex;
    private final int fileColumns;
    private int physicalLines;
    private boolean eof;
    private List<Item> next;
    private int rows;
    private int skipped;
    private BatchIntake.Result taken = new BatchIntake.Result(0, 0, 0);
    private final Path reports;
    private CSVPrinter report;
    /** The format's name in hub.hotline.formats (null when the format is not one of them: the try command's). */
    private final String formatName;
    /** Whether a UTF-8 byte-order mark chose the encoding (else the settings did). */
    private boolean bom;
    /** The header row as read, for a format with one. */
    private String headerText;
    /** Added to line numbers: a row read again alone is numbered as in its file. */
    private int lineOffset;

    /** Opened by {@link HotlineFiles#open}; the {@code try} command opens one on a sample file the same way. */
    public CallLog(InputStream raw, String fileName, Format format, HotlineSettings settings, Jsonata take, CallerNumbers callers,
            Path reports) {
        this.fileName = fileName;
        this.reports = reports;
        this.format = format;
        this.settings = settings;
        this.take = take;
        this.callers = callers;
        this.zone = settings.timeZone();
        this.timeFormat = DateTimeFormatter.ofPattern(format.timePattern());
        this.csv = CSVFormat.RFC4180.builder().setDelimiter(format.delimiter()).get();
        this.freeswitchSplit = Pattern.compile(Pattern.quote("\"" + format.delimiter()) + "\\s*\"");
        this.in = new BufferedInputStream(raw, 1 << 16);
        this.formatName = settings.formats().entrySet().stream().filter(e -> e.getValue().equals(format))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        try {
            this.charset = charsetFromStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileName, e);
        }
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        if (format.header()) {
            Record header = nextRecord();
            if (header == null) {
                columnIndex = new int[0];
                fileColumns = 0;
                return;
            }
            List<String> names = cellsOrUnreadable(header, "the header row");
            headerText = header.text();
            fileColumns = names.size();
            columnIndex = new int[format.columns().size()];
            boolean anyFound = false;
            for (int i = 0; i < columnIndex.length; i++) {
                String wanted = format.headerNames().get(i).strip();
                columnIndex[i] = -1;
                for (int j = 0; j < names.size(); j++) {
                    if (names.get(j).strip().equalsIgnoreCase(wanted)) {
                        columnIndex[i] = j;
                        anyFound = true;
                        break;
                    }
                }
            }
            // otherwise every row would be read as a call without cells and skipped: a whole file lost as "skipped"
            // (another delimiter, renamed titles, another system's export)
            if (!anyFound) {
                throw new CallLogUnreadable(fileName + ": the header row names none of the format's columns ("
                        + String.join(", ", format.headerNames()) + "): check hub.hotline.format, the delimiter and the header names");
            }
        } else {
            fileColumns = format.columns().size();
            columnIndex = new int[fileColumns];
            for (int i = 0; i < fileColumns; i++) {
                columnIndex[i] = i;
            }
            // a file of another format (or with other cdr.conf options) is refused as a whole, not row by row
            Record first = nextRecord();
            if (first != null) {
                List<String> cells = cellsOrUnreadable(first, "line " + first.line());
                if (cells.size() != fileColumns) {
                    throw new CallLogUnreadable(fileName + ": line " + first.line() + " has " + cells.size()
                            + " columns, the format has " + fileColumns + ": check hub.hotline.format and its columns");
                }
                pushBack(first);
            }
        }
    }

    public Charset charset() {
        return charset;
    }

    public Format format() {
        return format;
    }

    public String fileName() {
        return fileName;
    }

    /** Calls read (not counting the header or blank lines). */
    public int rows() {
        return rows;
    }

    /** Calls the format's filter did not take (unanswered, no notes). */
    public int skipped() {
        return skipped;
    }

    /** What the core made of the batches so far. */
    public BatchIntake.Result taken() {
        return taken;
    }

    void record(BatchIntake.Result batch) {
        taken = taken.plus(batch);
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = readBatch();
        }
        return !next.isEmpty();
    }

    @Override
    public List<Item> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<Item> batch = next;
        next = null;
        return batch;
    }

    /**
     * A quarantined row, once it is on the broker, also goes into reports/<time>-<file>.quarantined.csv, for the person
     * who fixes the export: line, reason, the row as read. Cells a spreadsheet would take for formulas are neutralised.
     */
    void report(Item refused) {
        try {
            if (report == null) {
                Files.createDirectories(reports);
                String name = LocalDateTime.now(zone).format(REPORT_TIME) + "-" + fileName.replaceAll("[/\\\\]", "_")
                        + ".quarantined.csv";
                report = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL).setHeader("line", "reason", "row").get()
                        .print(Files.newBufferedWriter(reports.resolve(name), StandardCharsets.UTF_8));
            }
            String row = decode(refused.raw());
            report.printRecord(refused.properties().get("lineNumber"), CsvCells.neutralise(refused.reason()),
                    CsvCells.neutralise(row == null ? "(not " + charset.name() + " text)" : row));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the quarantine report of " + fileName, e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
        if (report != null) {
            report.close(true);
            report = null;
        }
    }

    private List<Item> readBatch() {
        List<Item> batch = new ArrayList<>(settings.batchSize());
        while (batch.size() < settings.batchSize()) {
            List<Record> records = new ArrayList<>();
            while (records.size() < settings.batchSize() - batch.size()) {
                Record r = nextRecord();
                if (r == null) {
                    try {
                        close();
                    } catch (IOException ignored) {
                        // read to the end: nothing is lost by a failed close
                    }
                    break;
                }
                records.add(r);
            }
            if (records.isEmpty()) {
                break;
            }
            List<List<String>> cells = cellsOf(records);
            // each row on its own (CPU only): spread over the cores, as the batch intake does with the calls taken
            List<Optional<Item>> judged = IntStream.range(0, records.size()).parallel()
                    .mapToObj(i -> judge(records.get(i), cells.get(i))).toList();
            for (Optional<Item> item : judged) {
                rows++;
                item.ifPresentOrElse(batch::add, () -> skipped++);
            }
        }
        return batch;
    }

    /**
     * One quarantined row read again alone, with the format's settings as they are now (a fixed encoding, column list
     * or filter applies): the call to take, refused with the reason, or empty when the format's filter skips it. The
     * row is read behind its file's header row (or, for a copy queued before the header was kept, the format's header
     * names) and keeps its file name and line number.
     */
    static Optional<Item> reread(byte[] row, String header, boolean bom, String fileName, int lineNumber,
                                 Format format, HotlineSettings settings, Jsonata take, CallerNumbers callers) {
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream(row.length + 256);
        Charset charset = bom ? StandardCharsets.UTF_8 : format.encoding() != null ? format.encoding() : settings.encoding();
        if (bom) {
            file.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        if (format.header()) {
            String names = header != null ? header : String.join(format.delimiter(), format.headerNames());
            file.writeBytes(names.getBytes(charset));
            file.write('\n');
        }
        file.writeBytes(row);
        try (CallLog log = new CallLog(new java.io.ByteArrayInputStream(file.toByteArray()), fileName, format, settings,
                take, callers, null)) {
            log.lineOffset = lineNumber - (format.header() ? 2 : 1);
            return log.hasNext() ? Optional.of(log.next().get(0)) : Optional.empty();
        } catch (CallLogUnreadable e) {
            return Optional.of(Item.refused(row, Map.of(), e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a quarantined row carries besides its bytes and the reason: where it was, and how to read it again. */
    private Map<String, String> where(Record r, String sourceId) {
        Map<String, String> where = new LinkedHashMap<>();
        where.put("payloadKind", "call-log-row");
        where.put("fileName", fileName);
        where.put("lineNumber", String.valueOf(r.line() + lineOffset));
        if (formatName != null) {
            where.put("hotlineFormat", formatName);
        }
        where.put("encoding", charset.name());
        where.put("encodingFromBom", String.valueOf(bom));
        if (headerText != null) {
            where.put("header", headerText);
        }
        if (sourceId != null) {
            where.put("sourceId", sourceId);
        }
        return Collections.unmodifiableMap(where);
    }

    /** The row as a call to take, or refused with the reason; empty when the format's filter skips it. */
    private Optional<Item> judge(Record r, List<String> cells) {
        Map<String, String> where = where(r, null);
        try {
            Map<String, Object> call = call(r, cells);
            where = where(r, (String) ((Map<?, ?>) call.get("call")).get("sourceId"));
            return Boolean.TRUE.equals(take.evaluate(call)) ? Optional.of(new Item(call, r.raw(), where, null)) : Optional.empty();
        } catch (RowProblem e) {
            return Optional.of(Item.refused(r.raw(), where, e.getMessage()));
        } catch (JException e) {
            return Optional.of(Item.refused(r.raw(), where, "the format's filter could not judge the row: " + e.getMessage()));
        }
    }

    /**
     * The cells of the readable records, read by one parser for the lot (a parser per row costs a 16 KB buffer): each
     * CSV record of the lot must begin where its record does. Null for a record that is not readable, or for all of
     * them when the lot does not read as one CSV record per record: each is then read on its own, which finds the bad
     * one and its reason.
     */
    private List<List<String>> cellsOf(List<Record> records) {
        List<List<String>> cells = new ArrayList<>(Collections.nCopies(records.size(), null));
        StringBuilder lot = new StringBuilder();
        List<Integer> inLot = new ArrayList<>(records.size());
        List<Integer> starts = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            if (r.problem() == null && lot.length() + r.text().length() < JOINT_READ_CHARS) {
                starts.add(lot.length());
                lot.append(r.text()).append('\n');
                inLot.add(i);
            }
        }
        try (CSVParser parser = CSVParser.parse(lot.toString(), csv)) {
            List<CSVRecord> read = parser.getRecords();
            boolean oneEach = read.size() == inLot.size();
            for (int k = 0; oneEach && k < read.size(); k++) {
                oneEach = read.get(k).getCharacterPosition() == starts.get(k); // each begins where its record does
            }
            for (int k = 0; oneEach && k < read.size(); k++) {
                cells.set(inLot.get(k), read.get(k).toList());
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            // one of them is broken: each is read on its own
        }
        return cells;
    }

    private Map<String, Object> call(Record r, List<String> read) throws RowProblem {
        if (r.problem() != null) {
            throw new RowProblem(r.problem());
        }
        List<String> cells = read != null && read.size() == fileColumns ? read : cells(r.text());
        if (cells.size() != fileColumns) {
            throw new RowProblem("expected " + fileColumns + " columns, found " + cells.size());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < columnIndex.length; i++) {
            if (columnIndex[i] < 0) {
                continue;
            }
            String value = cells.get(columnIndex[i]);
            if (value.length() > settings.maxCellChars()) {
                throw new RowProblem("column " + format.columns().get(i) + " is longer than " + settings.maxCellChars() + " characters");
            }
            if (!value.isEmpty()) {
                fields.put(format.columns().get(i), value);
            }
        }
        for (String column : format.timeColumns()) {
            if (fields.get(column) instanceof String text) {
                try {
                    fields.put(column, LocalDateTime.parse(text.strip(), timeFormat).atZone(zone).toOffsetDateTime().toString());
                } catch (DateTimeParseException e) {
                    throw new RowProblem("unreadable time in column " + column + " (expected " + format.timePattern() + ")");
                }
            }
        }
        for (String column : format.integerColumns()) {
            if (fields.get(column) instanceof String text && !text.strip().matches("\\d{1,9}")) {
                throw new RowProblem("column " + column + " is not a whole number of zero or more");
            }
        }
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("file", fileName);
        call.put("line", r.line() + lineOffset);
        call.put("sourceId", sourceId(fields, r.text()));
        String phone = format.callerColumn() == null ? null : callers.e164((String) fields.get(format.callerColumn()));
        if (phone != null) {
            call.put("phone", phone);
        }
        call.put("raw", r.text().length() > RAW_INLINE ? r.text().substring(0, RAW_INLINE) : r.text()); // the record's limit
        fields.put("call", call);
        return fields;
    }

    private String sourceId(Map<String, Object> fields, String text) {
        if (format.idColumn() != null && !format.idColumn().isBlank() && fields.get(format.idColumn()) instanceof String id
                && !id.isBlank()) {
            return id.strip();
        }
        try { // no call id in this format: the row itself, so the same row in two files is one call
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> cellsOrUnreadable(Record r, String what) {
        if (r.problem() != null) {
            throw new CallLogUnreadable(fileName + ": " + what + " cannot be read: " + r.problem());
        }
        try {
            return cells(r.text());
        } catch (RowProblem e) {
            throw new CallLogUnreadable(fileName + ": " + what + " cannot be read: " + e.getMessage());
        }
    }

    /** Commons CSV first; FreeSWITCH writes quotes inside cells unescaped, so its rows get a second, lenient reading. */
    private List<String> cells(String text) throws RowProblem {
        try (CSVParser parser = CSVParser.parse(text, csv)) {
            Iterator<CSVRecord> records = parser.iterator();
            List<String> cells = records.next().toList();
            if (records.hasNext()) {
                throw new RowProblem("a line break outside quotes inside the row");
            }
            if ("freeswitch".equals(format.quoting()) && cells.size() != fileColumns) {
                return lenientFreeswitch(text);
            }
            return cells;
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            if ("freeswitch".equals(format.quoting())) {
                return lenientFreeswitch(text);
            }
            throw new RowProblem("broken quoting");
        }
    }

    /** "a","b "x" c","d": the cells are what lies between the quote-delimiter-quote separators. */
    private List<String> lenientFreeswitch(String text) throws RowProblem {
        String t = text.strip();
        if (t.length() < 2 || t.charAt(0) != '"' || t.charAt(t.length() - 1) != '"') {
            throw new RowProblem("broken quoting");
        }
        List<String> cells = List.of(freeswitchSplit.split(t.substring(1, t.length() - 1), -1));
        if (cells.size() != fileColumns) {
            throw new RowProblem("broken quoting: expected " + fileColumns + " quoted columns, found " + cells.size());
        }
        return cells;
    }

    private Record nextRecord() {
        while (true) {
            Line first = nextLine();
            if (first == null) {
                return null;
            }
            if (first.tooLong()) {
                return new Record(first.number(), first.bytes(), null, "the row is longer than " + settings.maxRecordBytes() + " bytes");
            }
            String text = decode(first.bytes());
            if (text == null) {
                return new Record(first.number(), first.bytes(), null, "not valid " + charset.name() + " text");
            }
            if (text.isBlank()) {
                continue;
            }
            if (!"rfc4180".equals(format.quoting()) || quotes(text) % 2 == 0) {
                return new Record(first.number(), first.bytes(), text, null);
            }
            // an open quoted cell: the record goes on on the next line(s)
            List<Line> joined = new ArrayList<>(List.of(first));
            StringBuilder sb = new StringBuilder(text);
            int open = quotes(text);
            while (open % 2 != 0 && joined.size() < settings.maxRecordLines()) {
                Line more = nextLine();
                if (more == null) {
                    break;
                }
                joined.add(more);
                String moreText = more.tooLong() ? null : decode(more.bytes());
                if (moreText == null) {
                    break;
                }
                sb.append('\n').append(moreText);
                open += quotes(moreText);
            }
            if (open % 2 == 0) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                for (int i = 0; i < joined.size(); i++) {
                    if (i > 0) {
                        raw.write('\n');
                    }
                    raw.writeBytes(joined.get(i).bytes());
                }
                return new Record(first.number(), raw.toByteArray(), sb.toString(), null);
            }
            // never closed: only the first line is bad; the lines after it are read again as rows of their own
            for (int i = joined.size() - 1; i > 0; i--) {
                pending.addFirst(joined.get(i));
            }
            return new Record(first.number(), first.bytes(), text, "broken quoting: a quoted cell is not closed");
        }
    }

    private void pushBack(Record r) {
        pending.addFirst(new Line(r.line(), r.raw(), false));
    }

    private static int quotes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '"') {
                n++;
            }
        }
        return n;
    }

    private String decode(byte[] bytes) {
        try {
            return decoder.reset().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The next physical line without its line ending; a line over the limit is consumed and flagged, not kept. */
    private Line nextLine() {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        if (eof) {
            return null;
        }
        lineBuffer.reset();
        boolean tooLong = false;
        try {
            while (true) {
                if (pos == limit) {
                    pos = 0;
                    limit = Math.max(0, in.read(chunk, 0, chunk.length));
                    if (limit == 0) {
                        eof = true;
                        if (lineBuffer.size() == 0 && !tooLong) {
                            return null;
                        }
                        break;
                    }
                }
                int end = pos;
                while (end < limit && chunk[end] != '\n') {
                    end++;
                }
                int keep = Math.min(end - pos, settings.maxRecordBytes() - lineBuffer.size());
                tooLong |= keep < end - pos;
                lineBuffer.write(chunk, pos, keep);
                pos = end < limit ? end + 1 : limit;
                if (end < limit) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileName, e);
        }
        byte[] bytes = lineBuffer.toByteArray();
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        return new Line(++physicalLines, end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end), tooLong);
    }

    /** A byte-order mark names the encoding (and is skipped); else the configured one. Binary and UTF-16 files are refused. */
    private Charset charsetFromStart() throws IOException {
        in.mark(PEEK);
        byte[] head = in.readNBytes(PEEK);
        in.reset();
        if (head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            in.skipNBytes(3);
            bom = true;
            return StandardCharsets.UTF_8;
        }
        if (head.length >= 2 && ((head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF
                || (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE)) {
            throw new CallLogUnreadable(fileName + " is UTF-16: save the export as UTF-8 or GB18030");
        }
        for (byte b : head) {
            if (b == 0) {
                throw new CallLogUnreadable(fileName + " is not a text file (NUL bytes)");
            }
        }
        return format.encoding() != null ? format.encoding() : settings.encoding();
    }
}
