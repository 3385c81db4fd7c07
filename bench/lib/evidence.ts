/**
 * What each fleet host's audit collector prints under mocks: the evidence recorded on the sandbox
 * VM (test/components/compliance/fixtures), with the log forwarding that the fleet's hosts set up
 * (the sandbox has no log server), so the audit of a fleet host passes as on a real one.
 */
import { editSection, encode, recorded } from "../../test/components/compliance/fixtures";

export function fleetCollectorOutput(): string {
    return encode(
        editSection(recorded("hardened"), "rsyslog", () => "active\n/etc/rsyslog.d/60-hardened-docker.conf present\n"),
    );
}
