package io.lstmforecast.model.formats;

import io.lstmforecast.model.ModelFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle interpreter that understands only what {@code torch.save(model.state_dict())} writes, and calls nothing.
 *
 * <p>Loading a pickle with Python's own loader runs whatever callables the file names ({@code os.system} among
 * them). Here a global is only a name: the few a state_dict needs ({@link #ALLOWED}) are recognised and turned into
 * plain Java values (a map for {@code OrderedDict}, a {@link TensorRef} for {@code _rebuild_tensor_v2}); any other
 * global is refused the moment it is read, with its name, before anything after it is looked at. Opcodes that build
 * arbitrary objects (NEWOBJ, INST, OBJ, EXT*) are refused too. Every length is checked against the bytes that remain,
 * and the stack and memo are bounded, so a hostile file ends in a {@link ModelFormatException}.
 */
final class StateDictPickle {
    /** A state_dict's pickle is a few bytes per tensor; anything this large is not one. */
    static final int MAX_PICKLE_BYTES = 64 << 20;

    private static final int MAX_OBJECTS = 1 << 20;

    static final String ORDERED_DICT = "collections.OrderedDict";
    static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
    static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
    static final String REBUILD_PARAMETER_WITH_STATE = "torch._utils._rebuild_parameter_with_state";
    /** Storage classes by their name in the torch module, as persistent ids name them. */
    static final Map<String, ElementType> STORAGES = Map.of(
            "torch.FloatStorage",
            ElementType.FLOAT32,
            "torch.DoubleStorage",
            ElementType.FLOAT64,
            "torch.HalfStorage",
            ElementType.FLOAT16,
            "torch.BFloat16Storage",
            ElementType.BFLOAT16,
            "torch.LongStorage",
            ElementType.INT64,
            "torch.IntStorage",
            ElementType.INT32,
            "torch.ShortStorage",
            ElementType.INT16,
            "torch.CharStorage",
            ElementType.INT8,
            "torch.ByteStorage",
            ElementType.UINT8,
            "torch.BoolStorage",
            ElementType.BOOL);

    static final Set<String> ALLOWED = allowed();

    /** A global the file named; only allowed names are ever made into one. */
    record Global(String name) {}

    /** A tuple (Python tuples are immutable, so a list copy is safe). */
    record Tuple(List<Object> items) {}

    /** Storage {@code key} of the archive: {@code numel} elements of {@code type}. */
    record Storage(ElementType type, String key, long numel) {}

    /** A tensor: a view of a storage, as {@code torch._utils._rebuild_tensor_v2} describes it. */
    record TensorRef(Storage storage, long offset, long[] size, long[] stride) {}

    private static final Object NONE = new Object();

    private final ByteBuffer in;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private StateDictPickle(ByteBuffer in, String source) {
        this.in = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    /** The unpickled object: maps, lists, tuples, strings, numbers, booleans, null and {@link TensorRef}s. */
    static Object load(ByteBuffer pickle, String source) {
        if (pickle.remaining() > MAX_PICKLE_BYTES) {
            throw new ModelFormatException(source + ": the pickle is " + pickle.remaining()
                    + " bytes; a state_dict's is" + " far smaller (the limit is " + MAX_PICKLE_BYTES + ")");
        }
        Object result = new StateDictPickle(pickle, source).run();
        return result == NONE ? null : result;
    }

    private Object run() {
        while (true) {
            if (!in.hasRemaining()) {
                throw fail("the pickle ends before its STOP opcode (truncated?)");
            }
            int position = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> u8(); // PROTO
                case 0x95 -> bytes(8); // FRAME (protocol 4): a length hint
                case '(' -> mark(); // MARK
                case '.' -> { // STOP
                    return pop();
                }
                case 'c' -> push(global(line() + "." + line())); // GLOBAL "module\nname\n"
                case 0x93 -> { // STACK_GLOBAL
                    String name = string(pop());
                    push(global(string(pop()) + "." + name));
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case 'N' -> push(NONE);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) u16()); // BININT2
                case 'J' -> push((long) int32()); // BININT
                case 0x8a -> push(long1()); // LONG1
                case 'G' -> push(ByteBuffer.wrap(bytes(8)).getDouble()); // BINFLOAT, big-endian
                case 'X' -> push(utf8(length(int32()))); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 'T' -> push(latin1(length(int32()))); // BINSTRING
                case 'U' -> push(latin1(u8())); // SHORT_BINSTRING
                case 'q' -> memo((long) u8()); // BINPUT
                case 'r' -> memo(Integer.toUnsignedLong(int32())); // LONG_BINPUT
                case 0x94 -> memo((long) memo.size()); // MEMOIZE
                case 'h' -> push(recall((long) u8())); // BINGET
                case 'j' -> push(recall(Integer.toUnsignedLong(int32()))); // LONG_BINGET
                case 't' -> push(new Tuple(popToMark())); // TUPLE
                case 0x85 -> push(tuple(1));
                case 0x86 -> push(tuple(2));
                case 0x87 -> push(tuple(3));
                case 'a' -> { // APPEND
                    Object item = pop();
                    list(peek()).add(item);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popToMark();
                    list(peek()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = key(pop());
                    dict(peek()).put(key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popToMark();
                    Map<Object, Object> d = dict(peek());
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        d.put(key(items.get(i)), items.get(i + 1));
                    }
                }
                case 'Q' -> push(persistent(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    push(call(pop(), args));
                }
                case 'b' -> { // BUILD: OrderedDict's _metadata, not needed
                    pop();
                    dict(peek());
                }
                default ->
                    throw fail(String.format(
                            "pickle opcode 0x%02x at byte %d is not one that torch.save writes for"
                                    + " a state_dict; nothing in the file was run",
                            op, position));
            }
        }
    }

    private Object global(String dotted) {
        if (!ALLOWED.contains(dotted)) {
            throw fail("pickle global '" + dotted + "' is not allowed in a state_dict; nothing in the file was run."
                    + " Only tensors in a dict can be loaded: save them with torch.save(model.state_dict(), path)");
        }
        return new Global(dotted);
    }

    private Object call(Object callable, Object args) {
        if (!(callable instanceof Global g) || !(args instanceof Tuple t)) {
            throw fail("the pickle calls " + describe(callable) + ", which a state_dict never does");
        }
        List<Object> a = t.items();
        switch (g.name()) {
            case ORDERED_DICT -> {
                Map<Object, Object> d = new LinkedHashMap<>();
                if (!a.isEmpty()) {
                    for (Object pair : list(a.get(0))) {
                        List<Object> kv = tupleItems(pair, 2);
                        d.put(key(kv.get(0)), kv.get(1));
                    }
                }
                return d;
            }
            case REBUILD_TENSOR -> {
                requireArgs(g, a, 6);
                if (!(a.get(0) instanceof Storage s)) {
                    throw fail(REBUILD_TENSOR + " is given " + describe(a.get(0)) + " where a storage belongs");
                }
                return new TensorRef(s, integer(a.get(1)), longs(a.get(2)), longs(a.get(3)));
            }
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                requireArgs(g, a, 3);
                if (!(a.get(0) instanceof TensorRef tensor)) {
                    throw fail(g.name() + " is given " + describe(a.get(0)) + " where a tensor belongs");
                }
                return tensor;
            }
            default -> throw fail("the pickle calls " + g.name() + ", which a state_dict never does");
        }
    }

    /** A persistent id ('storage', storage class, key, location, numel), the reference to {@code data/<key>}. */
    private Object persistent(Object pid) {
        List<Object> t = tupleItems(pid, 5);
        if (!"storage".equals(t.get(0))
                || !(t.get(1) instanceof Global g)
                || !STORAGES.containsKey(g.name())
                || !(t.get(2) instanceof String key)) {
            throw fail("the pickle has a persistent id " + describe(pid) + " that is not a torch storage");
        }
        long numel = integer(t.get(4));
        if (numel < 0) {
            throw fail("storage '" + key + "' has a negative size " + numel);
        }
        return new Storage(STORAGES.get(g.name()), key, numel);
    }

    private static Set<String> allowed() {
        Set<String> names = new java.util.HashSet<>(STORAGES.keySet());
        names.addAll(List.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE));
        return Set.copyOf(names);
    }

    private void requireArgs(Global g, List<Object> a, int least) {
        if (a.size() < least) {
            throw fail(g.name() + " is called with " + a.size() + " arguments instead of " + least);
        }
    }

    private void push(Object o) {
        if (stack.size() >= MAX_OBJECTS) {
            throw fail("the pickle's stack grows past " + MAX_OBJECTS + " objects; a state_dict needs a handful");
        }
        stack.add(o);
    }

    private void mark() {
        if (marks.size() >= MAX_OBJECTS) {
            throw fail("the pickle opens more than " + MAX_OBJECTS + " marks");
        }
        marks.add(stack.size());
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw fail("the pickle pops from an empty stack (damaged file?)");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw fail("the pickle reads an empty stack (damaged file?)");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popToMark() {
        if (marks.isEmpty()) {
            throw fail("the pickle closes a mark it never opened (damaged file?)");
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(mark, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private Tuple tuple(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return new Tuple(List.of(items));
    }

    private void memo(long index) {
        if (memo.size() >= MAX_OBJECTS && !memo.containsKey(index)) {
            throw fail("the pickle's memo grows past " + MAX_OBJECTS + " objects");
        }
        memo.put(index, peek());
    }

    private Object recall(long index) {
        Object o = memo.get(index);
        if (o == null) {
            throw fail("the pickle refers to memo entry " + index + ", which it never stored (damaged file?)");
        }
        return o;
    }

    private int u8() {
        require(1);
        return in.get() & 0xff;
    }

    private int u16() {
        require(2);
        return in.getShort() & 0xffff;
    }

    private int int32() {
        require(4);
        return in.getInt();
    }

    private long long1() {
        int n = u8();
        if (n > 8) {
            throw fail("the pickle holds a " + n + "-byte integer; a state_dict's integers fit in 8 bytes");
        }
        byte[] b = bytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        // Little-endian two's complement of n bytes: sign-extend from the top byte.
        return n == 0 || n == 8 ? v : (v << (64 - 8 * n)) >> (64 - 8 * n);
    }

    private int length(int n) {
        if (n < 0) {
            throw fail("the pickle holds a string of negative length");
        }
        return n;
    }

    private byte[] bytes(int n) {
        require(n);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private void require(int n) {
        if (in.remaining() < n) {
            throw fail("the pickle ends inside an opcode (truncated?)");
        }
    }

    private String utf8(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String latin1(int n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    /** A newline-terminated line of a GLOBAL opcode, at most 256 characters. */
    private String line() {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = u8();
            if (c == '\n') {
                return b.toString();
            }
            if (b.length() == 256) {
                throw fail("the pickle names a global longer than 256 characters");
            }
            b.append((char) c);
        }
    }

    /** Dict keys are plain values: a list or dict as a key could refer to itself and never finish hashing. */
    private Object key(Object o) {
        if (!(o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean || o == NONE)) {
            throw fail("the pickle uses " + describe(o) + " as a dict key; a state_dict's keys are names");
        }
        return o;
    }

    private String string(Object o) {
        if (!(o instanceof String s)) {
            throw fail("the pickle names a global with " + describe(o) + " instead of a string");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (!(o instanceof Map)) {
            throw fail("the pickle sets items on " + describe(o) + ", which is not a dict");
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (!(o instanceof List)) {
            throw fail("the pickle appends to " + describe(o) + ", which is not a list");
        }
        return (List<Object>) o;
    }

    private List<Object> tupleItems(Object o, int size) {
        if (!(o instanceof Tuple t) || t.items().size() != size) {
            throw fail("the pickle has " + describe(o) + " where a tuple of " + size + " belongs");
        }
        return t.items();
    }

    private long integer(Object o) {
        if (!(o instanceof Long v)) {
            throw fail("the pickle has " + describe(o) + " where an integer belongs");
        }
        return v;
    }

    private long[] longs(Object o) {
        if (!(o instanceof Tuple t)) {
            throw fail("the pickle has " + describe(o) + " where a tuple of sizes belongs");
        }
        long[] v = new long[t.items().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = integer(t.items().get(i));
        }
        return v;
    }

    static String describe(Object o) {
        if (o == null || o == NONE) {
            return "None";
        }
        if (o instanceof Global g) {
            return g.name();
        }
        if (o instanceof TensorRef) {
            return "a tensor";
        }
        if (o instanceof Map) {
            return "a dict";
        }
        if (o instanceof List) {
            return "a list";
        }
        if (o instanceof Tuple t) {
            return "a tuple of " + t.items().size();
        }
        return "a " + o.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private ModelFormatException fail(String problem) {
        return new ModelFormatException(source + ": " + problem);
    }
}
