/*
 The output formats of loggen and the exact layout of each.

   common          %h %l %u %t "%r" %>s %b
   combined        %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"
   vhost_combined  %v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"
   nginx           $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
                   "$http_referer" "$http_user_agent" $request_time
   w3c             #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username
                   c-ip cs-version cs(User-Agent) cs(Referer) cs-host sc-status sc-bytes time-taken
   json            the access record of GUIDE §2 (logparse's output)
   clickstream     session events as NDJSON

 Sizes are always numbers (0, never `-`), so every format parses back into the
 same values.
*/

package enum OutputFormat: String, Sendable, CaseIterable {
  case combined, common
  case vhostCombined = "vhost_combined"
  case nginx, w3c, json, clickstream

  /// The nginx log_format matching `--format nginx`.
  package static let nginxLogFormat =
    "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time"

  /// The Apache LogFormat strings of the Apache-style formats.
  package var apacheLogFormat: String? {
    switch self {
    case .common: return "%h %l %u %t \"%r\" %>s %b"
    case .combined: return "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""
    case .vhostCombined: return "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\""
    default: return nil
    }
  }

  /// The W3C `#Fields:` directive of `--format w3c`.
  package static let w3cFields =
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) cs(Referer) cs-host sc-status sc-bytes time-taken"
}
