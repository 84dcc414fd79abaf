/*
 `--split-by-time` and its companions: the options every record-writing
 command shares, and the ArchiveWriter they ask for. The RunFrame plugs the
 writer under its output sink, so no command has code of its own for it.
*/

package enum ArchiveOptions {
  static let category = "Archive"

  package static let options: [OptionSpec] = [
    OptionSpec(
      "split-by-time", value: "PATTERN", category: category,
      summary: "Write records to files by event time, not stdout",
      discussion: """
        PATTERN is a path with strftime-style specifiers on each record's event time in UTC: %Y (year), %m (month), %d (day), %H (hour), %M (minute), %j (day of year), %% (a percent sign); any other is a usage error. Example: `archive/date=%Y-%m-%d/hour=%H/access-%Y%m%d%H.ndjson`. The record's time is its `time` field (access records, alerts, scale decisions), else its `start` (window records). Directories are created as needed; standard output gets nothing. A file is written as NAME.partial and renamed to NAME once the largest event time seen passes the end of its period (the smallest unit of PATTERN) plus --split-lateness, and at exit; see ARCHIVE in logkit(7) for part files, records without a time, crash recovery and the exactness with --offsets or --state.
        """,
      completion: .file),
    OptionSpec(
      "split-lateness", value: "DURATION", category: category,
      summary: "Keep a period's file open this long past its end",
      discussion: "In event time: a file closes when the watermark (largest event time seen) passes its period's end plus DURATION. A record for a closed period goes to a part file (NAME.1.ndjson), counted and reported.",
      defaultValue: "1m"),
    OptionSpec(
      "split-max-open", value: "N", category: category,
      summary: "Keep at most N archive files open at once",
      discussion: "The least recently written file is closed first (with --offsets or --state it stays NAME.partial, its descriptor closed, until its period is due).",
      defaultValue: "64"),
    OptionSpec(
      "compress", value: "METHOD", category: category,
      summary: "Compress archive files: none or gzip",
      discussion: "gzip names files NAME.gz (NAME from PATTERN; part files NAME.1.ndjson.gz) and writes each flush as a complete gzip member, so a file is valid gzip at every checkpoint and recovery cuts a torn file back to its last complete member; gzip -d, zcat and DuckDB read the members as one stream. zlib (libz.so.1) is loaded at run time. Keep METHOD the same across restarts of one archive.",
      defaultValue: "none", completion: .choices(["none", "gzip"])),
  ]

  /// The archive the options ask for (nil without --split-by-time).
  package static func writer(command: String, _ options: ParsedOptions) throws -> ArchiveWriter? {
    guard options.declares("split-by-time") else { return nil }
    let compress = try options.choice("compress", in: ["none", "gzip"]) ?? "none"
    guard let text = options.value("split-by-time") else {
      for name in ["split-lateness", "split-max-open", "compress"] where options.value(name) != nil {
        throw UsageError("--\(name) needs --split-by-time")
      }
      return nil
    }
    let pattern: TimePattern
    do { pattern = try TimePattern(text) } catch { throw UsageError("invalid --split-by-time: \(error.message)") }
    let lateness = try options.duration("split-lateness") ?? 60_000_000
    guard lateness >= 0 else { throw UsageError("--split-lateness must not be negative") }
    let maxOpen = try options.int("split-max-open", min: 1) ?? 64
    guard maxOpen <= 4096 else { throw UsageError("--split-max-open may be at most 4096") }
    var gzip: Gzip?
    if compress == "gzip" {
      switch Gzip.load() {
      case .success(let loaded): gzip = loaded
      case .failure(let error): throw RuntimeError("--compress gzip: cannot load zlib: \(error)")
      }
    }
    return ArchiveWriter(command: command, pattern: pattern, lateness: lateness, maxOpen: maxOpen, gzip: gzip)
  }
}

/// The archive's manifest in front of a command's own --state payload (logalert, logscale):
/// saved in the same atomic replace, so a restart resumes the archive exactly where the state is.
enum ArchiveState {
  /// The state version to write: one more when the archive's section leads the payload, so
  /// an older version refuses the file instead of misreading it.
  static func version(_ base: Int, _ archive: ArchiveWriter?) -> Int { archive == nil ? base : base + 1 }

  /// Starts `archive` at the manifest leading `payload` (nil payload: no state yet, a fresh
  /// start); returns the command's own payload.
  static func resume(_ archive: ArchiveWriter?, payload: [UInt8]?, path: String) throws -> [UInt8]? {
    guard let archive else { return payload }
    let (manifest, rest) = try payload.map { try splitManifest($0, path: path) } ?? (nil, nil)
    do { try archive.start(manifest: manifest ?? ArchiveManifest(entries: [])) } catch {
      throw RuntimeError("cannot resume the archive: \(error)")
    }
    return rest
  }

  /// The archive section leading `bytes` (nil when there is none) and the bytes after it.
  static func splitManifest(_ bytes: [UInt8], path: String) throws -> (ArchiveManifest?, [UInt8]) {
    guard ArchiveManifest.starts(bytes, at: 0) else { return (nil, bytes) }
    do {
      let (manifest, end) = try ArchiveManifest.decode(bytes, at: 0)
      return (manifest, Array(bytes[end...]))
    } catch {
      throw RuntimeError("state file \(path) is corrupt: \(error.message)")
    }
  }

  /// The section to put in front of the payload (empty without an archive); closes the due files.
  static func section(_ archive: ArchiveWriter?) throws -> [UInt8] {
    try archive?.checkpointSection() ?? []
  }
}
