/*
 One generated request, as byte ranges plus numbers.

 The traffic model (or the replay base) fills it and a line writer formats it.
 Text fields point into tables that live as long as the generator, so filling
 an event copies no bytes; an empty range means the log's `-`.
*/

package struct AccessEvent {
  package var client = UnsafeRawBufferPointer(start: nil, count: 0)
  package var user = UnsafeRawBufferPointer(start: nil, count: 0)
  package var method = UnsafeRawBufferPointer(start: nil, count: 0)
  package var path = UnsafeRawBufferPointer(start: nil, count: 0)
  package var query = UnsafeRawBufferPointer(start: nil, count: 0)
  package var protocolName = UnsafeRawBufferPointer(start: nil, count: 0)
  package var referer = UnsafeRawBufferPointer(start: nil, count: 0)
  package var agent = UnsafeRawBufferPointer(start: nil, count: 0)
  package var vhost = UnsafeRawBufferPointer(start: nil, count: 0)
  package var status = 200
  package var bytes = 0
  /// Request time in milliseconds (nginx $request_time has millisecond resolution).
  package var requestMillis = 0
  package var port = 443
  /// Index of the site-map endpoint, or -1 (scanner paths, replayed requests).
  package var endpoint = -1

  package init() {}

  @inline(__always) static var empty: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
}
