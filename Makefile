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
GLUE    := mod_interventions
# httpd-facing code: every other source file.
EDGE    := $(filter-out $(CORE) $(GLUE),$(basename $(notdir $(wildcard $(SRC)/*.c))))

INCLUDES := -I$(shell $(APXS) -q INCLUDEDIR) $(shell apr-1-config --includes) \
            $(shell apu-1-config --includes) -I/usr/include/libxml2 -I/usr/include/postgresql
CPPFLAGS := $(shell apr-1-config --cppflags) $(INCLUDES)
CFLAGS   := -std=c11 -Wall -Wextra -Werror -fPIC $(OPT) $(SAN) -fstack-protector-strong \
            -D_FORTIFY_SOURCE=2
LIBS     := -lxslt -lxml2 -lldap -llber -lcrypto -lpq

CORE_OBJ := $(CORE:%=$(BUILD)/%.o)
EDGE_OBJ := $(EDGE:%=$(BUILD)/%.o)
MODULE   := $(BUILD)/.libs/mod_interventions.so

.PHONY: all deps run stop reset test unit integration clean
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

test: deps
	$(MAKE) all unit
	$(MAKE) SANITIZE=1 all unit
	$(MAKE) integration
	$(MAKE) SANITIZE=1 integration

clean:
	rm -rf build
