/*
 An expression compiled for repeated evaluation: field references resolved
 to slots of a RecordSlots, the tree flattened into a node array (children
 before parents), constant subtrees folded, string literals kept as byte
 ranges. Evaluation is a switch over node opcodes with no allocation unless
 a function builds a new string; no closures or existentials on the way.

   let slots = RecordSlots()
   let filter = try CompiledExpr(Expr.parse("status >= 500"), slots: slots)
   // per line: try scanner.scan(line); slots.load(from: scanner)
   if filter.matches(slots) { ... }

 Values returned by `evaluate` may view the current line (see ExprValue).
*/

private enum Opcode: UInt8 {
  case constant, slot, negate, not, and, or, member, notMember, call
  case add, subtract, multiply, divide, remainder
  case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

private struct Node {
  var op: Opcode
  /// First child, or the slot for `.slot`.
  var a = 0
  /// Second child, or the first entry in `children` for lists and calls.
  var b = 0
  /// Number of list items or call arguments.
  var count = 0
  var builtin: ExprBuiltin = .exists
  var constant: ExprValue = .null
}

package final class CompiledExpr {
  /// The source tree, for messages and for callers that inspect it.
  package let expr: Expr
  private let nodes: UnsafeMutablePointer<Node>
  private let nodeCount: Int
  /// Node indices of list items and call arguments.
  private let children: UnsafeMutablePointer<Int>
  /// Evaluated call arguments, at the same positions as in `children`.
  private let arguments: UnsafeMutablePointer<ExprValue>
  private let childCount: Int
  private let literals: [UnsafeMutableRawBufferPointer]
  private let root: Int
  /// The RecordSlots the slot numbers refer to (checked in debug builds).
  private let slotsID: ObjectIdentifier

  /// Compiles `expr`, registering the fields it reads in `slots`. Fails only
  /// for calls that are not built-in (an aggregate left in the tree).
  package init(_ expr: Expr, slots: RecordSlots) throws(ExprError) {
    var builder = Builder(slots: slots)
    let root = try builder.add(expr)
    self.expr = expr
    self.root = root
    slotsID = ObjectIdentifier(slots)
    nodeCount = builder.nodes.count
    nodes = UnsafeMutablePointer<Node>.allocate(capacity: Swift.max(nodeCount, 1))
    nodes.initialize(from: builder.nodes, count: nodeCount)
    childCount = builder.children.count
    children = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(childCount, 1))
    children.initialize(from: builder.children, count: childCount)
    arguments = UnsafeMutablePointer<ExprValue>.allocate(capacity: Swift.max(childCount, 1))
    arguments.initialize(repeating: .null, count: childCount)
    literals = builder.literals
    foldConstants()
  }

  deinit {
    nodes.deinitialize(count: nodeCount)
    nodes.deallocate()
    children.deallocate()
    arguments.deinitialize(count: childCount)
    arguments.deallocate()
    for literal in literals { literal.deallocate() }
  }

  /// The value of the expression for the record loaded in `slots`.
  package func evaluate(_ slots: RecordSlots) -> ExprValue {
    assert(ObjectIdentifier(slots) == slotsID, "evaluated with another RecordSlots than it was compiled for")
    return eval(root, slots.values)
  }

  /// The expression as a predicate (truthiness, see Expr.swift).
  package func matches(_ slots: RecordSlots) -> Bool {
    evaluate(slots).isTrue
  }

  /// The value as a number for numeric aggregates (sum, avg, quantiles):
  /// numbers and numeric strings; nil for anything else, including null.
  package func number(_ slots: RecordSlots) -> Double? {
    evaluate(slots).numeric
  }

  /// Whether the whole expression folded to a constant (reads no field).
  package var isConstant: Bool { nodes[root].op == .constant }

  /// Children have lower indices than parents, so one ascending pass folds
  /// every subtree whose inputs are all constants.
  private func foldConstants() {
    for i in 0..<nodeCount {
      let op = nodes[i].op
      guard op != .constant, op != .slot else { continue }
      var allConstant: Bool
      switch op {
      case .negate, .not: allConstant = nodes[nodes[i].a].op == .constant
      case .member, .notMember, .call:
        allConstant = op == .call || nodes[nodes[i].a].op == .constant
        for k in nodes[i].b..<(nodes[i].b + nodes[i].count) where nodes[children[k]].op != .constant {
          allConstant = false
        }
      default: allConstant = nodes[nodes[i].a].op == .constant && nodes[nodes[i].b].op == .constant
      }
      if allConstant {
        let value = eval(i, arguments)  // no slot is read: any pointer will do
        nodes[i] = Node(op: .constant, constant: value)
      }
    }
  }

  private func eval(_ i: Int, _ v: UnsafeMutablePointer<ExprValue>) -> ExprValue {
    let node = nodes + i
    switch node.pointee.op {
    case .constant: return node.pointee.constant
    case .slot: return v[node.pointee.a]
    case .negate:
      guard let x = eval(node.pointee.a, v).numeric else { return .null }
      return .number(-x)
    case .not: return .bool(!eval(node.pointee.a, v).isTrue)
    case .and: return .bool(eval(node.pointee.a, v).isTrue && eval(node.pointee.b, v).isTrue)
    case .or: return .bool(eval(node.pointee.a, v).isTrue || eval(node.pointee.b, v).isTrue)
    case .member, .notMember:
      let x = eval(node.pointee.a, v)
      var found = false
      let start = node.pointee.b
      for k in start..<(start &+ node.pointee.count) where x == eval(children[k], v) {
        found = true
        break
      }
      return .bool(found == (node.pointee.op == .member))
    case .call:
      let start = node.pointee.b
      let count = node.pointee.count
      for k in start..<(start &+ count) { arguments[k] = eval(children[k], v) }
      return node.pointee.builtin.apply(arguments + start, count)
    case .equal: return .bool(eval(node.pointee.a, v) == eval(node.pointee.b, v))
    case .notEqual: return .bool(eval(node.pointee.a, v) != eval(node.pointee.b, v))
    case .less, .lessOrEqual, .greater, .greaterOrEqual:
      guard let order = orderValues(eval(node.pointee.a, v), eval(node.pointee.b, v)) else { return .bool(false) }
      switch node.pointee.op {
      case .less: return .bool(order < 0)
      case .lessOrEqual: return .bool(order <= 0)
      case .greater: return .bool(order > 0)
      default: return .bool(order >= 0)
      }
    case .add, .subtract, .multiply, .divide, .remainder:
      return arithmetic(node.pointee.op, eval(node.pointee.a, v), eval(node.pointee.b, v))
    }
  }

  private func arithmetic(_ op: Opcode, _ a: ExprValue, _ b: ExprValue) -> ExprValue {
    if op == .add, a.isString, b.isString { return .string((a.text ?? "") + (b.text ?? "")) }
    guard let x = a.numeric, let y = b.numeric else { return .null }
    switch op {
    case .add: return .number(x + y)
    case .subtract: return .number(x - y)
    case .multiply: return .number(x * y)
    case .divide: return y == 0 ? .null : .number(x / y)
    default: return y == 0 ? .null : .number(x.truncatingRemainder(dividingBy: y))
    }
  }

  /// Flattens the tree; children are added before their parent.
  private struct Builder {
    let slots: RecordSlots
    var nodes: [Node] = []
    var children: [Int] = []
    var literals: [UnsafeMutableRawBufferPointer] = []

    mutating func append(_ node: Node) -> Int {
      nodes.append(node)
      return nodes.count - 1
    }

    mutating func add(_ expr: Expr) throws(ExprError) -> Int {
      switch expr {
      case .null: return append(Node(op: .constant))
      case .bool(let b): return append(Node(op: .constant, constant: .bool(b)))
      case .number(let d): return append(Node(op: .constant, constant: .number(d)))
      case .string(let s):
        // Literals are byte views like record strings, so comparisons take the memcmp path.
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: s.utf8.count, alignment: 1)
        _ = storage.initializeMemory(as: UInt8.self, from: s.utf8)
        literals.append(storage)
        return append(Node(op: .constant, constant: .bytes(UnsafeRawBufferPointer(storage))))
      case .field(let path): return append(Node(op: .slot, a: slots.slot(for: path)))
      case .negate(let e): return append(Node(op: .negate, a: try add(e)))
      case .not(let e): return append(Node(op: .not, a: try add(e)))
      case .binary(let op, let l, let r):
        let a = try add(l)
        let b = try add(r)
        return append(Node(op: Self.opcode(op), a: a, b: b))
      case .membership(let e, let list, let negated):
        let a = try add(e)
        let (start, count) = try addChildren(list)
        return append(Node(op: negated ? .notMember : .member, a: a, b: start, count: count))
      case .call(let name, let args):
        guard let builtin = ExprBuiltin(rawValue: name) else {
          throw ExprError("'\(name)' cannot be evaluated here", column: 1)
        }
        let (start, count) = try addChildren(args)
        return append(Node(op: .call, b: start, count: count, builtin: builtin))
      }
    }

    /// Compiles items first, then reserves their contiguous run in `children`.
    mutating func addChildren(_ items: [Expr]) throws(ExprError) -> (Int, Int) {
      var indices: [Int] = []
      for item in items { indices.append(try add(item)) }
      let start = children.count
      children.append(contentsOf: indices)
      return (start, indices.count)
    }

    static func opcode(_ op: ExprOperator) -> Opcode {
      switch op {
      case .add: return .add
      case .subtract: return .subtract
      case .multiply: return .multiply
      case .divide: return .divide
      case .remainder: return .remainder
      case .equal: return .equal
      case .notEqual: return .notEqual
      case .less: return .less
      case .lessOrEqual: return .lessOrEqual
      case .greater: return .greater
      case .greaterOrEqual: return .greaterOrEqual
      case .and: return .and
      case .or: return .or
      }
    }
  }
}
