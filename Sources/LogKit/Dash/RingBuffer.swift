/*
 Fixed-capacity history: the oldest element is overwritten once full, so a
 long replay keeps memory flat. `dropped` says how many fell off.
*/

package struct RingBuffer<Element> {
  private var storage: [Element] = []
  private var head = 0
  package let capacity: Int
  package private(set) var dropped = 0

  package init(capacity: Int) {
    self.capacity = Swift.max(1, capacity)
    storage.reserveCapacity(self.capacity)
  }

  package var count: Int { storage.count }
  package var isEmpty: Bool { storage.isEmpty }

  package mutating func append(_ element: Element) {
    if storage.count < capacity {
      storage.append(element)
    } else {
      storage[head] = element
      head = (head + 1) % capacity
      dropped &+= 1
    }
  }

  /// Element `i` counting from the oldest kept.
  package subscript(i: Int) -> Element {
    get { storage[(head + i) % storage.count] }
    set { storage[(head + i) % storage.count] = newValue }
  }

  package var last: Element? { storage.isEmpty ? nil : self[storage.count - 1] }

  /// Oldest first.
  package var elements: [Element] {
    guard head > 0 else { return storage }
    return Array(storage[head...]) + storage[..<head]
  }

  /// The newest `n` elements, oldest first.
  package func suffix(_ n: Int) -> [Element] {
    let k = Swift.min(n, storage.count)
    return (storage.count - k..<storage.count).map { self[$0] }
  }
}

extension RingBuffer: Sendable where Element: Sendable {}
