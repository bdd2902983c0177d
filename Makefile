# mod_interventions — build, run and test.
#
#   make deps        install the Debian and npm packages the project needs (idempotent)
#   make             build the module with apxs (build/release)
#   make SANITIZE=1  the same with AddressSanitizer + UBSan (build/asan)
#   make run         deps + build + private PostgreSQL, slapd and httpd with demo data
#   make stop        stop what `make run` started (data stays in var/)
#   make reset       stop and delete var/
#   make test        deps + both builds + unit and integration tests

APXS    ?= apxs
CC      := gcc
PORT    ?= 8080
PYTHON  := /usr/bin/python3
# Browser tests: npm packages pinned by package-lock.json; npm writes the hidden lock
# file below at each install, which makes it a stamp for make.
BROWSER_DIR := tests/browser
BROWSER_NPM := $(BROWSER_DIR)/node_modules/.package-lock.json

ifeq ($(SANITIZE),1)
VARIANT := asan
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1 -g
else
VARIANT := release
SAN     :=
OPT     := -O2 -g
endif

BUILD   := build/$(VARIANT)
SRC     := mod_interventions

# Core: plain C and APR, linked by the unit tests as well as by the module.
CORE    := roles router text confparse ldap_filter token headers validate workflow request_fields refcode
# multipart/form-data parser (tests/unit/test_multipart.c, tests/fuzz/)
CORE    += multipart
# list page: query string, filter values, sorts, paging (tests/unit/test_list_query.c)
CORE    += list_query
# fiche PDF: line breaking of long texts (tests/unit/test_textwrap.c)
CORE    += textwrap
# exports: a request as cells, the CSV writer, the streamed ZIP of the ODS
# (tests/unit/test_export_csv.c, tests/unit/test_zipstream.c)
CORE    += export_cells export_csv zipstream
# libxml2 memory of a request from its pool (tests/unit/test_xml_arena.c)
CORE    += xml_arena
GLUE    := mod_interventions
# httpd-facing code: every other source file.
EDGE    := $(filter-out $(CORE) $(GLUE),$(basename $(notdir $(wildcard $(SRC)/*.c))))

INCLUDES := -I$(shell $(APXS) -q INCLUDEDIR) $(shell apr-1-config --includes) \
            $(shell apu-1-config --includes) -I/usr/include/libxml2 -I/usr/include/postgresql
CPPFLAGS := $(shell apr-1-config --cppflags) $(INCLUDES)
CFLAGS   := -std=c11 -Wall -Wextra -Werror -fPIC $(OPT) $(SAN) -fstack-protector-strong \
            -D_FORTIFY_SOURCE=2
LIBS     := -lxslt -lxml2 -lldap -llber -lcrypto -lpq -lmagic
# fiche PDF (pdf.c): libharu, libqrencode, libpng (checks the logo)
LIBS     += -lhpdf -lqrencode -lpng
# exports: libxlsxwriter (export_xlsx.c), zlib (zipstream.c)
LIBS     += -lxlsxwriter -lz

CORE_OBJ := $(CORE:%=$(BUILD)/%.o)
EDGE_OBJ := $(EDGE:%=$(BUILD)/%.o)
MODULE   := $(BUILD)/.libs/mod_interventions.so

.PHONY: all deps run stop reset test unit integration browser clean
all: $(MODULE)

# fiche PDF: DejaVu Sans cut down to the characters French needs and renamed as its
# licence requires (packaging/subset-font.py); conf/httpd.conf.in points at them.
DEJAVU      := /usr/share/fonts/truetype/dejavu
FONT_DIR    := build/fonts
FICHE_FONTS := $(FONT_DIR)/InterventionsSans.ttf $(FONT_DIR)/InterventionsSans-Bold.ttf \
               $(FONT_DIR)/LICENSE
all: $(FICHE_FONTS)

$(FONT_DIR)/InterventionsSans.ttf: $(DEJAVU)/DejaVuSans.ttf packaging/subset-font.py
	@mkdir -p $(dir $@)
	@echo "  FONT    $@"
	@$(PYTHON) packaging/subset-font.py $< $@ "Interventions Sans" Book

$(FONT_DIR)/InterventionsSans-Bold.ttf: $(DEJAVU)/DejaVuSans-Bold.ttf packaging/subset-font.py
	@mkdir -p $(dir $@)
	@echo "  FONT    $@"
	@$(PYTHON) packaging/subset-font.py $< $@ "Interventions Sans" Bold

$(FONT_DIR)/LICENSE: /usr/share/doc/fonts-dejavu-core/copyright
	@mkdir -p $(dir $@)
	@cp $< $@

$(BUILD)/%.o: $(SRC)/%.c $(wildcard $(SRC)/*.h) | $(BUILD)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD):
	mkdir -p $@

$(BUILD)/libiv.a: $(CORE_OBJ) $(EDGE_OBJ)
	rm -f $@ && ar rcs $@ $^

# apxs links the glue object and the static library into the DSO.
$(MODULE): $(BUILD)/$(GLUE).o $(BUILD)/libiv.a
	@echo "  APXS    $@"
	@cd $(BUILD) && $(APXS) -c -o mod_interventions.la $(GLUE).o libiv.a \
	    $(if $(SAN),-lasan -lubsan) $(LIBS) >/dev/null

deps:
	@packaging/install-deps.sh
	@$(MAKE) --no-print-directory $(BROWSER_NPM)

# npm ci only when node_modules is missing or older than the lock file.
$(BROWSER_NPM): $(BROWSER_DIR)/package-lock.json
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund

run: deps all
	IV_HTTP_PORT=$(PORT) IV_MODULE=$(CURDIR)/$(MODULE) tools/stack start

stop:
	@tools/stack stop

reset:
	@tools/stack reset

# ---- tests ---------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_BIN   := $(UNIT_TESTS:%=$(BUILD)/tests/%)
UNIT_LIBS  := $(shell apr-1-config --link-ld --libs) $(shell apu-1-config --link-ld) \
              -lcmocka -lldap -llber -lcrypto
# exports: zlib (zipstream.c)
UNIT_LIBS  += -lz
# libxml2 allocator (xml_arena.c)
UNIT_LIBS  += -lxml2

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libiv.a | $(BUILD)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(CPPFLAGS) -I$(SRC) $(CFLAGS) $< -o $@ $(CORE_OBJ) $(UNIT_LIBS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do $$t; done

integration: all
	IV_MODULE=$(CURDIR)/$(MODULE) IV_SANITIZE=$(SANITIZE) \
	    $(PYTHON) -m pytest -q -p no:cacheprovider tests/integration

# playwright-core + axe-core on Debian's chromium
browser: all
	IV_MODULE=$(CURDIR)/$(MODULE) IV_SANITIZE=$(SANITIZE) node --test $(BROWSER_DIR)/

# ---- legacy import: tools/import/ → $(BUILD)/interventions-import ------------
# (tools/interventions-import links to the release build). The tool links the
# module's pure C files it shares with the forms: phones, e-mails, codes.
IMPORT_OBJ  := $(patsubst tools/import/%.c,$(BUILD)/import/%.o,$(wildcard tools/import/*.c))
IMPORT_MOD  := validate refcode text textwrap
IMPORT_PURE := encoding csv clean layout resolve rowclean
IMPORT_BIN  := $(BUILD)/interventions-import
IMPORT_LIBS := $(shell apr-1-config --link-ld --libs) -lpq -lcrypto
all: $(IMPORT_BIN)

$(BUILD)/import/%.o: tools/import/%.c $(wildcard tools/import/*.h) $(wildcard $(SRC)/*.h) | $(BUILD)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) -I$(SRC) -Itools/import $(CFLAGS) -c $< -o $@

$(IMPORT_BIN): $(IMPORT_OBJ) $(IMPORT_MOD:%=$(BUILD)/%.o)
	@echo "  CCLD    $@"
	@$(CC) $(CFLAGS) $^ -o $@ $(IMPORT_LIBS)

# cmocka tests of the tool's pure parts (CSV, encodings, cleaning rules)
$(BUILD)/tests/test_import: tests/unit/test_import.c $(IMPORT_PURE:%=$(BUILD)/import/%.o) \
                            $(BUILD)/libiv.a | $(BUILD)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(CPPFLAGS) -I$(SRC) -Itools/import $(CFLAGS) $< -o $@ \
	    $(IMPORT_PURE:%=$(BUILD)/import/%.o) $(CORE_OBJ) $(UNIT_LIBS)

# make import SOURCE=fichier [ARGS="--dry-run …"]: into the `make run` instance;
# reports in var/imports/.
.PHONY: import bench-import
import: $(IMPORT_BIN)
	@test -n "$(SOURCE)" || { echo "usage : make import SOURCE=fichier [ARGS=\"--dry-run\"]" >&2; exit 2; }
	@test -r var/ports || { echo "make import : l'instance n'existe pas (make run d'abord)" >&2; exit 1; }
	@mkdir -p var/imports
	@. ./var/ports && $(IMPORT_BIN) --report var/imports \
	    --db "host=$(CURDIR)/var/pg/run port=$$IV_PG_PORT dbname=interventions user=interventions" \
	    $(ARGS) "$(SOURCE)"

# The 1,000,000-row figure (bench/import/README.md): its own instance in build/bench-import.
IMPORT_BENCH_ROWS ?= 1000000
bench-import: all
	@if [ "$(SANITIZE)" = 1 ]; then echo "make bench-import : sans SANITIZE" >&2; exit 2; fi
	IMPORT_BENCH_ROWS=$(IMPORT_BENCH_ROWS) IV_MODULE=$(CURDIR)/$(MODULE) bench/import/run.sh

# ---- benchmarks (bench/README.md): not part of `make test` -----------------
# Its own PostgreSQL, slapd and httpd (build/bench), the release build, BENCH_ROWS
# generated requests; wrk next to pgbench on the same SQL. SOAK=1: the soak instead.
BENCH_ROWS    ?= 1000000
BENCH_SECONDS ?= 20
BENCH_CONNS   ?= 16
SOAK          ?= 0
.PHONY: bench
bench: deps
	@if [ "$(SANITIZE)" = 1 ]; then echo "make bench : sans SANITIZE (mesure du build de production)" >&2; exit 2; fi
	@$(MAKE) --no-print-directory all
	BENCH_ROWS=$(BENCH_ROWS) BENCH_SECONDS=$(BENCH_SECONDS) BENCH_CONNS=$(BENCH_CONNS) \
	    SOAK=$(SOAK) $(PYTHON) bench/bench.py

# ---- fuzzing the multipart parser (libFuzzer, from libclang-rt-14-dev) ------
# `make fuzz` explores for FUZZ_SECONDS on a scratch copy of the seed corpus;
# `make fuzz-replay` only replays the committed seeds (deterministic, seconds).
FUZZ_CC      := clang-14
FUZZ_SECONDS ?= 60
FUZZ_DIR     := build/fuzz
FUZZ_CORPUS  := tests/fuzz/corpus/multipart
FUZZ_CFLAGS  := -std=c11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                $(shell apr-1-config --cflags --cppflags --includes) -I$(SRC)
FUZZ_LIBS    := $(shell apr-1-config --link-ld --libs)
.PHONY: fuzz fuzz-replay

$(FUZZ_DIR)/fuzz_multipart: tests/fuzz/fuzz_multipart.c $(SRC)/multipart.c $(SRC)/text.c \
                            $(SRC)/multipart.h $(SRC)/text.h
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@ $(FUZZ_LIBS)

fuzz: $(FUZZ_DIR)/fuzz_multipart
	rm -rf $(FUZZ_DIR)/corpus && mkdir -p $(FUZZ_DIR)/corpus
	cp $(FUZZ_CORPUS)/* $(FUZZ_DIR)/corpus/
	$< -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus

fuzz-replay: $(FUZZ_DIR)/fuzz_multipart
	$< -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_CORPUS)/*

test: deps
	$(MAKE) all unit
	$(MAKE) SANITIZE=1 all unit
	$(MAKE) fuzz-replay
	$(MAKE) integration
	$(MAKE) SANITIZE=1 integration
	$(MAKE) browser

clean:
	rm -rf build
