package io.herald.workloads;

import java.util.Locale;
import java.util.Random;

/**
 * Realistic payloads of a network scan: IPv4 addresses, host names, open ports with their services,
 * CVE ids. Every value is plain ASCII with nothing to escape, so payloads are built as strings.
 */
final class ScanPayloads {
    /** The scanned network, 10.20.0.0/16. */
    static final String TARGET = "10.20.0.0/16";

    private static final String[] ROLES = {"web", "db", "app", "cache", "mail", "vpn", "build", "k8s-node", "nas", "printer"};
    private static final String[] SITES = {"fra1", "ams2", "nyc3", "sgp1", "lon1"};
    private static final String[] OS = {"linux", "windows", "freebsd", "ios-xe", "unknown"};
    private static final Service[] SERVICES = {
        new Service(22, "ssh", "OpenSSH_9.6p1"), new Service(80, "http", "nginx/1.24.0"),
        new Service(443, "https", "nginx/1.24.0"), new Service(3306, "mysql", "MySQL 8.0.36"),
        new Service(5432, "postgresql", "PostgreSQL 16.2"), new Service(6379, "redis", "Redis 7.2.4"),
        new Service(8080, "http-proxy", "Apache Tomcat 9.0.85"), new Service(3389, "ms-wbt-server", "Microsoft Terminal Services"),
        new Service(25, "smtp", "Postfix smtpd"), new Service(53, "domain", "ISC BIND 9.18.24"),
        new Service(445, "microsoft-ds", "Samba smbd 4.19"), new Service(9200, "elasticsearch", "Elasticsearch 8.12.2"),
        new Service(27017, "mongodb", "MongoDB 7.0.6"), new Service(21, "ftp", "vsftpd 3.0.5"),
    };
    private static final Vuln[] VULNS = {
        new Vuln("CVE-2024-6387", "critical", 8.1, "OpenSSH regreSSHion"),
        new Vuln("CVE-2023-44487", "high", 7.5, "HTTP/2 Rapid Reset"),
        new Vuln("CVE-2021-44228", "critical", 10.0, "Log4Shell"),
        new Vuln("CVE-2022-0543", "critical", 10.0, "Redis Lua sandbox escape"),
        new Vuln("CVE-2023-38408", "high", 9.8, "ssh-agent PKCS#11 RCE"),
        new Vuln("CVE-2020-1938", "critical", 9.8, "Tomcat Ghostcat"),
        new Vuln("CVE-2023-2454", "high", 7.2, "PostgreSQL schema_element"),
        new Vuln("CVE-2022-21449", "medium", 6.5, "Psychic Signatures"),
        new Vuln("CVE-2019-0708", "critical", 9.8, "BlueKeep"),
        new Vuln("CVE-2023-20198", "critical", 10.0, "IOS XE web UI"),
    };
    private static final String[] PHASES = {"discovery", "port scan", "vulnerability scan"};
    private static final String[] METHODS = {"icmp+arp", "tcp-syn", "nse-vulners"};

    private ScanPayloads() {
    }

    /** A port a scanner reports open: the number, the service name, the banner it read. */
    record Service(int port, String name, String banner) {
    }

    /** A vulnerability a scanner can report. */
    record Vuln(String cve, String severity, double cvss, String title) {
    }

    /**
     * The address of host {@code index}: a bijection of 0..65535 onto the /16 (the multiplier is
     * odd, so {@code i * m} mod 2^16 is a permutation), so addresses never repeat and look scattered.
     */
    static String ip(int index, int salt) {
        int n = (index * 40_503 + salt) & 0xFFFF;
        return "10.20." + (n >>> 8) + "." + (n & 0xFF);
    }

    static String hostname(Random random) {
        return ROLES[random.nextInt(ROLES.length)] + "-" + String.format(Locale.ROOT, "%03d", random.nextInt(1000))
                + "." + SITES[random.nextInt(SITES.length)] + ".corp.example.net";
    }

    static String hostDiscovered(String ip, String hostname, Random random) {
        return "{\"ip\":\"" + ip + "\",\"hostname\":\"" + hostname + "\",\"os\":\"" + OS[random.nextInt(OS.length)]
                + "\",\"rttMs\":" + (1 + random.nextInt(80)) + "}";
    }

    static Service service(Random random) {
        // The first three (ssh, http, https) are found far more often than the rest, as on real networks.
        return random.nextInt(3) == 0 ? SERVICES[random.nextInt(SERVICES.length)] : SERVICES[random.nextInt(3)];
    }

    static String portFound(String ip, Service s) {
        return "{\"ip\":\"" + ip + "\",\"port\":" + s.port() + ",\"protocol\":\"tcp\",\"service\":\"" + s.name()
                + "\",\"banner\":\"" + s.banner() + "\"}";
    }

    static String vulnerabilityFound(String ip, int port, Random random) {
        Vuln v = VULNS[random.nextInt(VULNS.length)];
        return "{\"ip\":\"" + ip + "\",\"port\":" + port + ",\"cve\":\"" + v.cve() + "\",\"severity\":\"" + v.severity()
                + "\",\"cvss\":" + v.cvss() + ",\"title\":\"" + v.title() + "\"}";
    }

    static String progress(int phase, double pct, int hostsDone, int hostsTotal, int etaSeconds) {
        return String.format(Locale.ROOT, "{\"phase\":\"%s\",\"pct\":%.2f,\"hostsDone\":%d,\"hostsTotal\":%d,\"etaSeconds\":%d}",
                PHASES[phase], pct, hostsDone, hostsTotal, etaSeconds);
    }

    static String stats(int hostsUp, int openPorts, int vulns, long packetsSent, double elapsedSeconds) {
        return String.format(Locale.ROOT, "{\"hostsUp\":%d,\"openPorts\":%d,\"vulns\":%d,\"packetsSent\":%d,\"elapsedSeconds\":%.3f}",
                hostsUp, openPorts, vulns, packetsSent, elapsedSeconds);
    }

    static String scanStarted(String scanId) {
        return "{\"scanId\":\"" + scanId + "\",\"target\":\"" + TARGET + "\",\"profile\":\"full\",\"startedBy\":\"alice\"}";
    }

    static String phaseStarted(int phase, int expectedSeconds) {
        return "{\"phase\":\"" + PHASES[phase] + "\",\"index\":" + (phase + 1) + ",\"of\":" + PHASES.length
                + ",\"method\":\"" + METHODS[phase] + "\",\"expectedSeconds\":" + expectedSeconds + "}";
    }

    static String error(String ip, String code, String message) {
        return "{\"code\":\"" + code + "\",\"ip\":\"" + ip + "\",\"message\":\"" + message + "\",\"retrying\":true}";
    }

    static String scanCompleted(String scanId, int hostsUp, int openPorts, int vulns, int seconds) {
        return "{\"scanId\":\"" + scanId + "\",\"hostsUp\":" + hostsUp + ",\"openPorts\":" + openPorts + ",\"vulns\":" + vulns
                + ",\"durationSeconds\":" + seconds + "}";
    }
}
