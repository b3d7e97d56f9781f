package org.complainthub.report;

import static org.complainthub.channel.CsvCells.neutralise;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The report as files to download: CSV (UTF-8 with a byte order mark, so a spreadsheet reads the Chinese right; every
 * table as a section: its title, its header, its rows, a blank line; or one table alone) and an Excel workbook (one
 * sheet per table, the header in bold, numbers as numbers). In both, a text cell a spreadsheet would take for a
 * formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with ' so it shows as the text it is: the
 * names of orders, products, stores and staff come from what customers typed.
 */
public final class ReportFiles {

    private ReportFiles() {
    }

    /** Every table (tables of one element: that table alone, without its title line). */
    public static byte[] csv(List<ReportTable> tables) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.RFC4180)) {
            w.write('\uFEFF');
            boolean alone = tables.size() == 1;
            for (ReportTable t : tables) {
                if (!alone) {
                    csv.printRecord(neutralise(t.title()));
                }
                csv.printRecord(t.headers().stream().map(org.complainthub.channel.CsvCells::neutralise).toList());
                for (List<Object> row : t.rows()) {
                    List<String> cells = new ArrayList<>(row.size());
                    for (Object cell : row) {
                        cells.add(text(cell));
                    }
                    csv.printRecord(cells);
                }
                if (!alone) {
                    csv.println();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] xlsx(List<ReportTable> tables) {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle bold = book.createCellStyle();
            Font font = book.createFont();
            font.setBold(true);
            bold.setFont(font);
            Set<String> names = new HashSet<>();
            for (ReportTable t : tables) {
                Sheet sheet = book.createSheet(sheetName(t, names));
                Row header = sheet.createRow(0);
                int[] widths = new int[t.headers().size()];
                for (int c = 0; c < t.headers().size(); c++) {
                    String h = neutralise(t.headers().get(c));
                    header.createCell(c).setCellValue(h);
                    header.getCell(c).setCellStyle(bold);
                    widths[c] = width(h);
                }
                for (int r = 0; r < t.rows().size(); r++) {
                    Row row = sheet.createRow(r + 1);
                    List<Object> cells = t.rows().get(r);
                    for (int c = 0; c < cells.size(); c++) {
                        Object v = cells.get(c);
                        Cell cell = row.createCell(c); // blank when there is no value (no median, no score)
                        if (v instanceof Number n) {
                            cell.setCellValue(n.doubleValue());
                        } else if (v != null) {
                            cell.setCellValue(neutralise(v.toString()));
                        }
                        widths[c] = Math.max(widths[c], width(text(v)));
                    }
                }
                for (int c = 0; c < widths.length; c++) {
                    sheet.setColumnWidth(c, Math.min(60, widths[c] + 2) * 256);
                }
                sheet.createFreezePane(0, 1);
            }
            book.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return cell instanceof Number ? cell.toString() : neutralise(cell.toString());
    }

    /** A CJK character takes about two columns. */
    private static int width(String s) {
        return s.codePoints().map(cp -> cp > 0x2E80 ? 2 : 1).sum();
    }

    /** The table's title as a valid, unique sheet name (at most 31 characters, none of []:*?/\). */
    private static String sheetName(ReportTable t, Set<String> taken) {
        String name = WorkbookUtil.createSafeSheetName(t.title().isBlank() ? t.id() : t.title());
        if (!taken.add(name.toLowerCase())) {
            name = WorkbookUtil.createSafeSheetName(t.id());
            taken.add(name.toLowerCase());
        }
        return name;
    }
}
