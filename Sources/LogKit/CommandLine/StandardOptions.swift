/*
 Options that several commands share, declared once.
*/

package enum StandardOptions {
  /// Present on every command.
  package static let always: [OptionSpec] = [
    OptionSpec("help", short: "h", category: "General", summary: "Print help and exit"),
    OptionSpec("version", short: "V", category: "General", summary: "Print the version and exit"),
    OptionSpec(
      "generate", value: "WHAT", category: "General",
      summary: "Print the man page or a completion script (man, complete-bash, complete-zsh, complete-fish)",
      hidden: true, completion: .choices(["man", "complete-bash", "complete-zsh", "complete-fish"])),
  ]

  /// Line-oriented input handling.
  package static let input: [OptionSpec] = [
    OptionSpec(
      "max-line", value: "SIZE", category: "Input",
      summary: "Reject input lines longer than SIZE bytes",
      discussion: "A longer line is skipped in constant memory and counted as bad input; --rejects keeps its first SIZE bytes. Sizes accept k, M and G suffixes.",
      defaultValue: "1M"),
    OptionSpec(
      "rejects", value: "FILE", category: "Input",
      summary: "Write every rejected input line, verbatim, to FILE",
      discussion: "One line per rejected line, in input order. A line rejected for exceeding --max-line is kept as its first --max-line bytes (the rest is not stored)."),
    OptionSpec(
      "strict", category: "Input",
      summary: "Exit with status 1 at the first bad input line"),
    OptionSpec(
      "max-errors", value: "N", category: "Input",
      summary: "Exit with status 1 after N bad input lines"),
    OptionSpec(
      "stats", category: "Input",
      summary: "Print counts and throughput on stderr at exit"),
    OptionSpec(
      "no-progress", category: "Input",
      summary: "Do not show progress on a terminal during long runs"),
  ] + follow

  /// `--follow` and where it starts (part of `input`).
  package static let follow: [OptionSpec] = [
    OptionSpec(
      "follow", short: "F", category: "Input",
      summary: "Read FILEs on as they grow and rotate (tail -F)",
      discussion: "Until SIGINT or SIGTERM. Each FILE is a file, a named FIFO or a quoted glob (`'/var/log/nginx/*.log'`, expanded again at every check, so new files are picked up and read from their start). A file is read as it grows. When its name comes to point at another file (logrotate's create: rename, or delete and re-create), the old file is read to its end first (and for another second, as a server may write a little more before it reopens its log), a last line without newline is then taken as a line, and the new file is read from its start. A file that shrinks or whose first bytes change was truncated (logrotate's copytruncate): the lines not yet read are taken from the copy when a file in the same directory starts with the same bytes, then the file is read from its start. A FILE that does not exist yet is waited for; a FIFO is reopened when its writers close and waits for the next. Changes are seen through inotify on the directories, with a check of every name at least every 250 ms regardless (polling where inotify is missing); an idle follow sleeps. Standard input (-) cannot be followed."),
    OptionSpec(
      "from-start", category: "Input",
      summary: "Follow files without an offset from their start",
      discussion: "With --follow, files found at start without a saved offset are read from their start. The default with --offsets or --state: a shipper, or a stage that resumes, must not skip what was logged before its first run."),
    OptionSpec(
      "from-end", category: "Input",
      summary: "Follow files without an offset from their end",
      discussion: "With --follow, files found at start without a saved offset are read from their end. The default without --offsets and --state, as tail -F (from the start of the last line being written, so no line is cut). Files that appear later, and the files that replace rotated ones, are always read from their start."),
  ]

  /// `--offsets`: for commands whose output is complete once flushed (logparse); stages that
  /// keep open state need their own state file to resume.
  package static let offsets: [OptionSpec] = [
    OptionSpec(
      "offsets", value: "FILE", category: "Input",
      summary: "Save --follow positions in FILE and resume from it",
      discussion: "FILE holds, for every followed file, its device, inode, a fingerprint of its first bytes (a hash of up to 1 KiB, with their count), and the offset and number of the last line whose output has been written out (flushed). It is replaced atomically (temp file, fsync, rename) once a second while lines come, after every 10,000 lines, and at exit, each time after the output was flushed. A later run with the same FILE resumes each file just after that line; files are recognised by inode and fingerprint, so a renamed file is not read again, and a new file that reuses an old inode is not taken for it. A file renamed in its directory while no run was going (access.log.1) has its rest read under its new name; a file truncated meanwhile has its rest read from its copy, if that is in the same directory and not compressed yet. A file rotated away twice while no run was going (so that a whole generation came and went unseen) cannot be found. Delivery guarantee: at least once. After SIGINT or SIGTERM (exit 130 or 143) nothing is lost or repeated. After kill -9 or a crash, nothing is lost (but for the copytruncate gap below), and the lines repeated are those whose output was written out after the last save: at most one second's worth and never more than 10,000 lines per restart; the output may also end in a record cut short (a restarted run appending to the same regular file starts on a new line, so the cut record stands alone as a line that is not valid JSON, which consumers should skip; its line is written again in full). Exactly once needs a consumer that deduplicates (on a request id, or on --raw when lines are unique). The one loss no reader can avoid: with copytruncate, a line written after logrotate copied the file and before it truncated it is in neither file; logparse reads the copy for everything else, so that window is only the copy-to-truncate gap, which logrotate leaves unlocked (prefer create with a reload, or delaycompress so the copy stays readable). The output itself is not fsync'ed: after a power loss, what the system had not written to disk is lost with it."),
  ]

  /// Output buffering.
  package static let output: [OptionSpec] = [
    OptionSpec(
      "line-buffered", category: "Output",
      summary: "Flush output after every record",
      discussion: "Output is otherwise block-buffered and flushed when input has been idle for about 50 ms, so `tail -f access.log | logparse | ...` stays live either way. Use this when a consumer needs every record as soon as it is written."),
  ]

  /// Output buffering of a command that reads no input (loggen).
  package static let generatorOutput: [OptionSpec] = [
    OptionSpec(
      "line-buffered", category: "Output",
      summary: "Flush output after every line",
      discussion: "Output is otherwise block-buffered: a paced run (the real clock at a --rate, or --speedup) flushes whenever it waits for the next line's time, so it stays live; an unpaced run (--rate max, or --start without --speedup) writes large blocks. Use this when a consumer needs every line as soon as it is written."),
  ]
}
