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
GLUE    := mod_interventions
# httpd-facing code: every other source file.
EDGE    := $(filter-out $(CORE) $(GLUE),$(basename $(notdir $(wildcard $(SRC)/*.c))))

INCLUDES := -I$(shell $(APXS) -q INCLUDEDIR) $(shell apr-1-config --includes) \
            $(shell apu-1-config --includes) -I/usr/include/libxml2 -I/usr/include/postgresql
CPPFLAGS := $(shell apr-1-config --cppflags) $(INCLUDES)
CFLAGS   := -std=c11 -Wall -Wextra -Werror -fPIC $(OPT) $(SAN) -fstack-protector-strong \
            -D_FORTIFY_SOURCE=2
LIBS     := -lxslt -lxml2 -lldap -llber -lcrypto -lpq -lmagic

CORE_OBJ := $(CORE:%=$(BUILD)/%.o)
EDGE_OBJ := $(EDGE:%=$(BUILD)/%.o)
MODULE   := $(BUILD)/.libs/mod_interventions.so

.PHONY: all deps run stop reset test unit integration browser clean
all: $(MODULE)

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
