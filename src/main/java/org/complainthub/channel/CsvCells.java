package org.complainthub.channel;

/**
 * Cells the hub writes into a CSV file or workbook a person may open in a spreadsheet (the hotline's refused rows, the
 * monthly report): a cell that a spreadsheet would take for a
 * formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with ' so it shows as the text it is.
 * Only on the way out: records keep every value as it came (a phone number +8613800138000 stays as it is there).
 */
public final class CsvCells {

    private CsvCells() {
    }

    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        char first = cell.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + cell : cell;
    }
}
