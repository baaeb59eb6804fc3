package dev.vmcase.analysis.timeline;

/**
 * One event of a lane as the model hands it out.
 *
 * @param micros    the time with the host's clock offset applied
 * @param sha256    the artifact
 * @param line      1-based line
 * @param level     {@link dev.vmcase.model.Timeline} level
 * @param estimated the line carries no time of its own (a QMP command of a wire transcript): placed between the
 *                  timed messages of its conversation
 */
public record Hit(int lane, long micros, String sha256, int line, byte level, boolean estimated) {
}
