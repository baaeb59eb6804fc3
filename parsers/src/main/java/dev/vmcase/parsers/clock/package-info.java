/**
 * Format parsers for a host's clock: {@code timedatectl} and {@code date} output ({@link
 * dev.vmcase.parsers.clock.HostClockParser}) and a copy of {@code /etc/localtime} ({@link
 * dev.vmcase.parsers.clock.TzifParser}). They sit apart from {@code dev.vmcase.parsers.time}, the timestamp and zone
 * reading that the parser SPI itself uses ({@code EvidenceSink.index} takes a {@code Timestamps.Stamp}), so the SPI
 * and the parsers do not form a cycle.
 */
package dev.vmcase.parsers.clock;
