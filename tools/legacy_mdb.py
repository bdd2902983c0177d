"""tools/legacy_mdb.py — writes a Microsoft Access 2000 (Jet 4) .mdb file holding one
user table whose columns are all text, for test data that must look like the legacy
Access file. Only the standard library; the same input gives the same bytes.

    write_mdb(path, table_name, columns, rows)

The format is the one documented in mdbtools' HACKING.md (section names quoted below);
what this writer relies on was checked against the reader of mdbtools 1.0 (libmdb:
file.c, catalog.c, table.c, data.c, map.c, write.c), which is what reads these files.

Layout of the file (pages of 4096 bytes):

  page 0  "Database Definition Page": "Standard Jet DB", version byte 0x14 = 1 (Jet 4);
          the 128 bytes from 0x18 are RC4-encrypted with the fixed key mdbtools and
          Access use. Database key 0 (no page encryption), no password, code page 1252,
          sort order 0x0409 ("General").
  page 1  a data page owned by no table holding the usage maps ("Page Usage Maps"):
          row 0 the global map (no free page), then the "owned pages" and "pages with
          free space" maps of MSysObjects and of the user table. A map row is 69 bytes:
          an inline map (type 0: first page + 512-page bitmap) when the table's pages
          fit in 512 pages, else a reference map (type 1: 17 pointers to 0x05 pages,
          each a bitmap of 32736 pages counted from page 0). The free-space maps are
          empty: the file is complete, nothing is meant to be added to its pages.
  page 2  TDEF of the catalog MSysObjects ("TDEF (Table Definition) Pages"); mdbtools
          bootstraps the catalog from page 2 and binds its columns Id, Name, Type,
          Flags and LvProp by name. It has three rows: the "Tables" container (Type 3),
          MSysObjects itself (Type 1, Flags 0x80000002: a system table, hidden by
          mdb-tables) and the user table (Type 1, Flags 0, Id = page of its TDEF).
  page 3  the data page of MSysObjects.
  page 4  TDEF of the user table: no index, one column per name, Text (type 0x0A,
          255 characters) when every value fits in 255 characters, else Memo (0x0C).
  5 ...   the user table's data pages ("Data Pages"), rows in input order, at most 255
          rows per page; long value pages ("LVAL (Long Value) Pages") for memo values
          that do not fit in their row; then the 0x05 pages of a reference map.

Rows follow the Jet 4 row layout: column count, fixed columns, variable columns, end
of data offset, offsets of the variable columns (last first), their count, and the null
mask (bit set = value present). "" is stored as NULL. Text is plain UCS-2 little endian
("Text Data Type"; no "compressed unicode"). A memo value is stored inside its row
(length word flag 0x80) unless the row would exceed 4060 bytes: then the longest memo
values of the row move to LVAL pages, in one LVAL row (flag 0x40) up to 4076 bytes,
else in a chain of LVAL rows each starting with the page/row of the next (flag 0x00).

Limits (ValueError): names of 1 to 64 characters without . ! ` [ ] or control
characters, not starting with a space, column names distinct ignoring case; values of
Basic Multilingual Plane characters only (UCS-2), without NUL and not starting with
U+FEFF (read as the compressed-unicode marker); the text columns of a row must fit in
4060 bytes; a memo value below 2**24 bytes; the table definition must fit in one page
(about 70 columns of 15-character names); the file must stay below 2 GB.
Not a limit of the file but of its reader: mdb-export prints at most 199,999 bytes
(UTF-8) of a value and silently drops the rest.
"""
import struct
from dataclasses import dataclass

PAGE_SIZE = 4096
_RC4_HEADER_KEY = bytes([0xC7, 0xDA, 0x39, 0x6B])
_ENCRYPTED_START, _ENCRYPTED_SIZE = 0x18, 128
_HEADER_CODE_PAGE, _HEADER_SORT_ORDER = 0x3C, 0x6E   # the database key follows the code page
_CODE_PAGE = 1252
_SORT_GENERAL = 0x0409
_MAX_FILE_PAGES = 2**31 // PAGE_SIZE

_DATA_PAGE_HEADER = 14                     # type, 1, free space, owner, 0, row count
_ROW_SLOT = 2                              # each row's offset in the page header
_MAX_ROWS_PER_PAGE = 255
_MAX_ROW_SIZE = 4060
_MAX_LVAL_ROW = 4076
_LVAL_OWNER = b"LVAL"

_MAP_ROW_SIZE = 69                         # type byte + 4-byte start + 64 bitmap bytes
_INLINE_MAP_PAGES = 64 * 8
_MAP_PAGE_BITS = (PAGE_SIZE - 4) * 8       # pages tracked by one 0x05 page
_REFERENCE_SLOTS = (_MAP_ROW_SIZE - 1) // 4

_TDEF_MAGIC = 1625                         # constant found in every Jet 4 TDEF
_TDEF_HEADER_SIZE = 63
_TDEF_TRAILER = b"\xff\xff"

_INT, _LONG, _TEXT, _OLE, _MEMO = 0x03, 0x04, 0x0A, 0x0B, 0x0C
_TEXT_MAX_CHARS = 255
_MEMO_INLINE, _MEMO_LVAL_ROW, _MEMO_LVAL_CHAIN = 0x80000000, 0x40000000, 0
_MAX_MEMO_BYTES = 2**24 - 1

_MAP_PAGE, _CATALOG_TDEF, _CATALOG_DATA, _TABLE_TDEF = 1, 2, 3, 4
# Rows of the map page: the global map, then (owned, free) of each table.
_GLOBAL_MAP, _CATALOG_MAPS, _TABLE_MAPS = 0, (1, 2), (3, 4)

_CATALOG_ID_TABLES = 0x0F000001            # the "Tables" container
_CATALOG_ID_ROOT = 0x0F000000
_OBJECT_TABLE, _OBJECT_CONTAINER = 1, 3
_FLAGS_SYSTEM_TABLE = 0x80000002

_NAME_MAX_CHARS = 64
_NAME_FORBIDDEN = set(".!`[]") | {chr(c) for c in range(32)}


@dataclass(frozen=True)
class _Column:
    name: str
    type: int
    size: int                              # bytes in the TDEF; 0 for Memo and OLE

    @property
    def fixed(self):
        return self.type in (_INT, _LONG)


_CATALOG_COLUMNS = [
    _Column("Id", _LONG, 4),
    _Column("ParentId", _LONG, 4),
    _Column("Name", _TEXT, 2 * _TEXT_MAX_CHARS),
    _Column("Type", _INT, 2),
    _Column("Flags", _LONG, 4),
    _Column("LvProp", _OLE, 0),
]


def write_mdb(path, table_name, columns, rows):
    """Writes to path a Jet 4 database holding the table table_name.

    columns: column names; rows: lists of str, one per column, "" meaning NULL.
    Raises ValueError for input the format (or mdbtools) cannot carry."""
    _check_names(table_name, columns)
    texts = [_row_texts(row, len(columns), n) for n, row in enumerate(rows, 1)]
    table_columns = _table_columns(columns, texts)
    pages = _Pages()
    data = _RowPacker(pages, struct.pack("<I", _TABLE_TDEF))
    lval = _RowPacker(pages, _LVAL_OWNER)
    for n, row in enumerate(texts, 1):
        data.add(_table_row(table_columns, row, lval, n))
    data.flush()
    lval.flush()
    maps = {_GLOBAL_MAP: _inline_map([]),
            _CATALOG_MAPS[0]: _inline_map([_CATALOG_DATA]),
            _CATALOG_MAPS[1]: _inline_map([]),
            _TABLE_MAPS[0]: _usage_map(pages, data.page_numbers),
            _TABLE_MAPS[1]: _inline_map([])}
    pages.set(_MAP_PAGE, _data_page(bytes(4), [maps[row] for row in sorted(maps)]))
    catalog = _catalog_rows(table_name)
    pages.set(_CATALOG_TDEF, _tdef_page(_CATALOG_COLUMNS, len(catalog), _CATALOG_MAPS,
                                        system=True))
    pages.set(_CATALOG_DATA, _data_page(struct.pack("<I", _CATALOG_TDEF), catalog))
    pages.set(_TABLE_TDEF, _tdef_page(table_columns, len(rows), _TABLE_MAPS, system=False))
    pages.set(0, _header_page())
    with open(path, "wb") as out:
        out.write(pages.content())


# ---------------------------------------------------------------- input checks

def _check_names(table_name, columns):
    for name in [table_name, *columns]:
        if not _is_access_name(name):
            raise ValueError(f"invalid Access name {name!r}: 1 to {_NAME_MAX_CHARS} "
                             "characters, no leading space, none of . ! ` [ ] or controls")
        _ucs2(name, f"name {name!r}")
    if table_name.casefold() == "msysobjects":
        raise ValueError("the table name MSysObjects is the catalog's")
    if not columns:
        raise ValueError("a table needs at least one column")
    if len({name.casefold() for name in columns}) != len(columns):
        raise ValueError("column names must differ (ignoring case)")


def _is_access_name(name):
    return isinstance(name, str) and 1 <= len(name) <= _NAME_MAX_CHARS \
        and name[0] != " " and not _NAME_FORBIDDEN & set(name)


def _row_texts(row, width, n):
    """The UCS-2 bytes of the values of row n, None for NULL ("")."""
    if len(row) != width:
        raise ValueError(f"row {n}: {len(row)} values for {width} columns")
    return [_ucs2(value, f"row {n}") if value else None for value in row]


def _ucs2(value, where):
    if not isinstance(value, str):
        raise ValueError(f"{where}: {value!r} is not a str")
    try:
        data = value.encode("utf-16-le")
    except UnicodeEncodeError as error:
        raise ValueError(f"{where}: {error}") from None
    if len(data) != 2 * len(value):
        raise ValueError(f"{where}: characters beyond U+FFFF do not fit in UCS-2")
    if "\0" in value or value[0] == "\ufeff":
        raise ValueError(f"{where}: NUL, or U+FEFF first, cannot be stored")
    return data


def _table_columns(names, texts):
    """Text(255) for a column whose values all fit in 255 characters, else Memo."""
    longest = [max((len(row[i]) for row in texts if row[i]), default=0)
               for i in range(len(names))]
    return [_Column(name, _TEXT, 2 * _TEXT_MAX_CHARS)
            if size <= 2 * _TEXT_MAX_CHARS else _Column(name, _MEMO, 0)
            for name, size in zip(names, longest)]


# ---------------------------------------------------------------- rows

def _encode_row(columns, values):
    """A Jet 4 row from the encoded value of each column (None = NULL)."""
    pairs = list(zip(columns, values))
    fixed = b"".join(v if v is not None else bytes(c.size) for c, v in pairs if c.fixed)
    variable = [v or b"" for c, v in pairs if not c.fixed]
    offsets, position = [], 2 + len(fixed)
    for value in variable:
        offsets.append(position)
        position += len(value)
    offsets.append(position)               # end of data
    mask = sum(1 << n for n, v in enumerate(values) if v is not None)
    return b"".join([struct.pack("<H", len(columns)), fixed, *variable,
                     struct.pack(f"<{len(offsets)}H", *reversed(offsets)),
                     struct.pack("<H", len(variable)),
                     mask.to_bytes((len(columns) + 7) // 8, "little")])


def _table_row(columns, texts, lval, n):
    """Row n of the user table; the longest memo values leave a row that is too long."""
    values = [_memo_inline(t) if c.type == _MEMO and t else t
              for c, t in zip(columns, texts)]
    inline = sorted((i for i, c in enumerate(columns) if c.type == _MEMO and texts[i]),
                    key=lambda i: len(texts[i]))
    while (size := _row_size(columns, values)) > _MAX_ROW_SIZE:
        if not inline:
            raise ValueError(f"row {n}: {size} bytes, over the {_MAX_ROW_SIZE}-byte "
                             "limit of a Jet 4 row (its Text values are too long)")
        i = inline.pop()
        values[i] = _memo_outside(texts[i], lval, n)
    return _encode_row(columns, values)


def _row_size(columns, values):
    """The length _encode_row gives."""
    variable = sum(not c.fixed for c in columns)
    data = sum(c.size if c.fixed else len(v or b"") for c, v in zip(columns, values))
    return 2 + data + 2 * (variable + 2) + (len(columns) + 7) // 8


def _memo_inline(data):
    return struct.pack("<III", _MEMO_INLINE | len(data), 0, 0) + data


def _memo_outside(data, lval, n):
    """The 12-byte memo field of a value stored in LVAL rows."""
    if len(data) > _MAX_MEMO_BYTES:
        raise ValueError(f"row {n}: a memo value over {_MAX_MEMO_BYTES} bytes")
    if len(data) <= _MAX_LVAL_ROW:
        return struct.pack("<III", _MEMO_LVAL_ROW | len(data), lval.add(data), 0)
    step = _MAX_LVAL_ROW - 4
    pointer = 0
    for start in reversed(range(0, len(data), step)):      # last piece first
        pointer = lval.add(struct.pack("<I", pointer) + data[start:start + step])
    return struct.pack("<III", _MEMO_LVAL_CHAIN | len(data), pointer, 0)


def _catalog_rows(table_name):
    def row(object_id, parent, name, kind, flags):
        return _encode_row(_CATALOG_COLUMNS, [
            struct.pack("<I", object_id), struct.pack("<I", parent),
            name.encode("utf-16-le"), struct.pack("<H", kind),
            struct.pack("<I", flags), None])
    return [row(_CATALOG_ID_TABLES, _CATALOG_ID_ROOT, "Tables", _OBJECT_CONTAINER, 0),
            row(_CATALOG_TDEF, _CATALOG_ID_TABLES, "MSysObjects", _OBJECT_TABLE,
                _FLAGS_SYSTEM_TABLE),
            row(_TABLE_TDEF, _CATALOG_ID_TABLES, table_name, _OBJECT_TABLE, 0)]


# ---------------------------------------------------------------- pages

class _Pages:
    """The pages of the file, numbered as they are allocated."""

    def __init__(self):
        self._pages = [None] * (_TABLE_TDEF + 1)

    def allocate(self):
        if len(self._pages) >= _MAX_FILE_PAGES:
            raise ValueError("the data does not fit in a 2 GB Jet 4 file")
        self._pages.append(None)
        return len(self._pages) - 1

    def set(self, number, page):
        assert len(page) == PAGE_SIZE
        self._pages[number] = page

    def content(self):
        return b"".join(self._pages)


class _RowPacker:
    """Fills data pages of one owner (a TDEF page or LVAL) with rows, in order."""

    def __init__(self, pages, owner):
        self._file, self._owner = pages, owner
        self.page_numbers = []
        self._rows, self._used, self._page = [], 0, None

    def add(self, row):
        """Stores row; returns its page/row pointer (page << 8 | row)."""
        if not self._fits(row):
            self.flush()
        if not self._rows:
            self._page = self._file.allocate()
        self._rows.append(row)
        self._used += len(row) + _ROW_SLOT
        return self._page << 8 | (len(self._rows) - 1)

    def _fits(self, row):
        return len(self._rows) < _MAX_ROWS_PER_PAGE and \
            self._used + len(row) + _ROW_SLOT <= PAGE_SIZE - _DATA_PAGE_HEADER

    def flush(self):
        if self._rows:
            self._file.set(self._page, _data_page(self._owner, self._rows))
            self.page_numbers.append(self._page)
            self._rows, self._used = [], 0


def _data_page(owner, rows):
    """A data page: header, row offsets, free space, then the rows from the page end."""
    starts, position = [], PAGE_SIZE
    for row in rows:
        position -= len(row)
        starts.append(position)
    free = position - _DATA_PAGE_HEADER - _ROW_SLOT * len(rows)
    header = struct.pack(f"<BBH4sIH{len(rows)}H", 0x01, 0x01, free, owner, 0, len(rows),
                         *starts)
    return header + bytes(free) + b"".join(reversed(rows))


def _usage_map(pages, numbers):
    """The owned-pages map of a table: inline if it can be, else by reference."""
    if not numbers or max(numbers) - min(numbers) < _INLINE_MAP_PAGES:
        return _inline_map(numbers)
    return _reference_map(pages, numbers)


def _inline_map(numbers):
    start = min(numbers, default=0)
    bitmap = bytearray(_MAP_ROW_SIZE - 5)
    for number in numbers:
        bitmap[(number - start) // 8] |= 1 << ((number - start) % 8)
    return struct.pack("<BI", 0, start) + bitmap


def _reference_map(pages, numbers):
    bitmaps = {}
    for number in numbers:
        slot, bit = divmod(number, _MAP_PAGE_BITS)
        bitmap = bitmaps.setdefault(slot, bytearray(PAGE_SIZE - 4))
        bitmap[bit // 8] |= 1 << (bit % 8)
    slots = [0] * _REFERENCE_SLOTS
    for slot, bitmap in sorted(bitmaps.items()):
        slots[slot] = pages.allocate()
        pages.set(slots[slot], struct.pack("<BBH", 0x05, 0x01, 0) + bitmap)
    return struct.pack(f"<B{_REFERENCE_SLOTS}I", 1, *slots)


def _tdef_page(columns, row_count, map_rows, system):
    """The one-page definition of a table without index."""
    owned, free = (row | _MAP_PAGE << 8 for row in map_rows)
    body = _column_blocks(columns) + b"".join(
        struct.pack("<H", 2 * len(c.name)) + c.name.encode("utf-16-le") for c in columns)
    size = _TDEF_HEADER_SIZE + len(body) + len(_TDEF_TRAILER)
    if size > PAGE_SIZE:
        raise ValueError(f"the table definition ({size} bytes) exceeds one page: "
                         "fewer or shorter column names")
    var_count = sum(not c.fixed for c in columns)
    header = struct.pack("<BBHIIIIIB15sBHHHIIII", 0x02, 0x01, PAGE_SIZE - size - 8, 0,
                         size, _TDEF_MAGIC, row_count, 0, 1, bytes(15),
                         0x53 if system else 0x4E, len(columns), var_count, len(columns),
                         0, 0, owned, free)
    return header + body + _TDEF_TRAILER + bytes(PAGE_SIZE - size)


def _column_blocks(columns):
    """The 25-byte descriptor of each column (HACKING.md, Jet4 Table Definition Block)."""
    blocks, var_index, fixed_offset = [], 0, 0
    for number, column in enumerate(columns):
        textual = column.type in (_TEXT, _MEMO)
        blocks.append(struct.pack(
            "<BIHHHHHBBIHH", column.type, _TDEF_MAGIC, number,
            0 if column.fixed else var_index, number,
            _SORT_GENERAL if textual else 0, 0,
            0x03 if column.fixed else 0x02, 0, 0,
            fixed_offset if column.fixed else 0, column.size))
        if column.fixed:
            fixed_offset += column.size
        else:
            var_index += 1
    return b"".join(blocks)


def _header_page():
    """Page 0: signature, Jet version, then the RC4-encrypted settings."""
    settings = bytearray(_ENCRYPTED_SIZE)
    struct.pack_into("<HI", settings, _HEADER_CODE_PAGE - _ENCRYPTED_START, _CODE_PAGE, 0)
    struct.pack_into("<H", settings, _HEADER_SORT_ORDER - _ENCRYPTED_START, _SORT_GENERAL)
    page = bytearray(PAGE_SIZE)
    page[0:_ENCRYPTED_START] = struct.pack("<I16sI", 0x100, b"Standard Jet DB", 1)
    page[_ENCRYPTED_START:_ENCRYPTED_START + _ENCRYPTED_SIZE] = _rc4(_RC4_HEADER_KEY, settings)
    return bytes(page)


def _rc4(key, data):
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)
