package org.complainthub.channel.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Folder settings are levels separated by "/", built with the server's hierarchy separator; a level holding the
 * server's separator is refused naming the setting (at connect), a malformed name at start-up.
 */
class MailboxFolderNamesTest {

    @Test
    void levelsAreJoinedWithTheServersSeparator() throws Exception {
        assertThat(Mailbox.onServer("hub.email.processed-folder", "ComplaintHub/Processed", '.')).isEqualTo("ComplaintHub.Processed");
        assertThat(Mailbox.onServer("hub.email.processed-folder", "ComplaintHub/Processed", '/')).isEqualTo("ComplaintHub/Processed");
        assertThat(Mailbox.onServer("hub.email.folder", "INBOX", '.')).isEqualTo("INBOX");
        assertThat(Mailbox.onServer("hub.email.folder", "INBOX", '\0')).isEqualTo("INBOX");
    }

    @Test
    void aLevelHoldingTheServersSeparatorIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> Mailbox.onServer("hub.email.quarantine-folder", "Complaint.Hub/Quarantine", '.'))
                .hasMessageContaining("hub.email.quarantine-folder=Complaint.Hub/Quarantine")
                .hasMessageContaining("separator is \".\"");
        assertThatThrownBy(() -> Mailbox.onServer("hub.email.processed-folder", "ComplaintHub/Processed", '\0'))
                .hasMessageContaining("hub.email.processed-folder").hasMessageContaining("no folder hierarchy");
    }

    @Test
    void malformedOrSameFolderSettingsStopTheStart() {
        assertThatThrownBy(() -> mailbox("INBOX", "ComplaintHub//Processed", "ComplaintHub/Quarantine"))
                .hasMessageContaining("channel-config/email/channel.properties: hub.email.processed-folder=ComplaintHub//Processed");
        assertThatThrownBy(() -> mailbox("INBOX", "ComplaintHub/Done", "ComplaintHub/Done"))
                .hasMessageContaining("three different folders");
        assertThat(mailbox("INBOX", "ComplaintHub/Processed", "ComplaintHub/Quarantine")).isNotNull();
    }

    private static Mailbox mailbox(String folder, String processed, String quarantine) {
        return new Mailbox("imap", "127.0.0.1", 143, "u", "", folder, processed, quarantine, 10, 1000, 1000, 1000);
    }
}
