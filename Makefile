# Vitrine — one non-recursive Makefile.
#   make            build build/vitrine
#   make test       install missing dependencies, build, fetch fixtures, run every test
#   make run        boot the default machine profile
#   make bench      benchmarks side by side with QEMU
#   make screenshots  docs/screenshots/*.png of each machine with a display
#   make deps       install the Debian build/test dependencies (apt-get, as root or via sudo)
#   make SAN=1 …    the same with -fsanitize=address,undefined into build-san/

CC ?= gcc
PKGS := sdl2 libarchive libpng openal inih zlib nettle slirp
SAN ?=
BUILD ?= $(if $(filter fuzz,$(SAN)),build-fuzz,$(if $(SAN),build-san,build))

CFLAGS_BASE := -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -I. -MMD -MP
OPT ?= -O2 -g
ifeq ($(SAN),1)
  OPT := -O1 -g -fno-omit-frame-pointer
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
endif
ifeq ($(SAN),fuzz)
  CC := clang
  OPT := -O1 -g -fno-omit-frame-pointer
  SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
endif
# Fail early, naming what is missing: otherwise `pkg-config --libs` prints nothing and the link
# fails later on unrelated archive_*/ini_* symbols. Skipped for goals that install or clean.
DEBIAN_PKG_sdl2 := libsdl2-dev
DEBIAN_PKG_libarchive := libarchive-dev
DEBIAN_PKG_libpng := libpng-dev
DEBIAN_PKG_openal := libopenal-dev
DEBIAN_PKG_inih := libinih-dev
DEBIAN_PKG_zlib := zlib1g-dev
DEBIAN_PKG_nettle := nettle-dev
DEBIAN_PKG_slirp := libslirp-dev
ifneq ($(filter-out deps clean test test-long bench,$(or $(MAKECMDGOALS),all)),)
  PKG_MISSING := $(strip $(foreach p,$(PKGS),$(if $(shell pkg-config --exists $(p) && echo y),,$(p))))
  ifneq ($(PKG_MISSING),)
    $(error missing pkg-config package(s): $(PKG_MISSING). Install them with `make deps` or \
      apt-get install $(foreach p,$(PKG_MISSING),$(or $(DEBIAN_PKG_$(p)),$(p))))
  endif
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS += $(CFLAGS_BASE) $(OPT) $(SANFLAGS) $(PKG_CFLAGS)
LDLIBS += $(PKG_LIBS) -lfdt -lm -lpthread
LDFLAGS += $(SANFLAGS)

LIB_DIRS := core core/block core/cpu/arm core/cpu/sparc core/cpu/x86 core/cpu/ppc jit \
            machines machines/linux_user peripherals romsets frontend
LIB_SRC := $(filter-out frontend/main.c,$(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/frontend/main.o

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

.PHONY: all test run bench deps clean test-long fuzz fuzz-bins format format-check screenshots
all: $(BUILD)/vitrine

$(BUILD)/vitrine: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libvitrine.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

# every unit test links the shared fixtures (tests/unit/fixture.h)
UNIT_FIXTURE := tests/unit/fixture.c
$(BUILD)/tests/%: tests/unit/%.c $(UNIT_FIXTURE) tests/unit/fixture.h $(BUILD)/libvitrine.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(UNIT_FIXTURE) $(BUILD)/libvitrine.a \
	    $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka)

# libFuzzer harnesses (clang): `make fuzz` builds build-fuzz/fuzz/fuzz_*; tests/fuzz/run.sh
# runs each briefly on its seeds inside `make test`, longer by hand (see tests/fuzz/README.md).
fuzz:
	@$(MAKE) -s --no-print-directory SAN=fuzz BUILD=build-fuzz fuzz-bins

fuzz-bins: $(FUZZ_BIN)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libvitrine.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libvitrine.a $(LDFLAGS) $(LDLIBS)

deps:
	@sh tests/scripts/deps.sh

# The one test command: deps, build, fixtures, every suite, one closing line.
test: deps
	@$(MAKE) -s --no-print-directory all $(UNIT_BIN)
	@BUILD=$(BUILD) sh tests/scripts/run_tests.sh

test-long: deps
	@$(MAKE) -s --no-print-directory all $(UNIT_BIN)
	@BUILD=$(BUILD) VITRINE_TEST_LONG=1 sh tests/scripts/run_tests.sh

# Boots PROFILE (default: the SPARCstation 5) in a window when a display is there ($DISPLAY or
# $WAYLAND_DISPLAY), else headless on this terminal; builds its free ROM set from Debian's
# packages first when it is missing. Ctrl-A x quits (or close the window).
run: all
	@./$(BUILD)/vitrine romset audit openbios-sparc32 >/dev/null 2>&1 || \
	    ./$(BUILD)/vitrine romset fetch openbios-sparc32
	./$(BUILD)/vitrine run $${PROFILE:-sparcstation5} --serial stdio --speed 1.0 \
	    $$(if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then echo --display sdl; else echo --headless; fi)

bench: deps all
	@BUILD=$(BUILD) sh tests/bench/run.sh

# README pictures of each machine with a display, made with --screenshot (docs/screenshots/).
screenshots: all
	@BUILD=$(BUILD) sh tests/display/make_screenshots.sh docs/screenshots

# Every tracked C file formatted with the repo's .clang-format (format-check runs in .ci/run).
FORMAT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	@clang-format -i $(FORMAT_SRC)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRC) && echo "format-check: $(words $(FORMAT_SRC)) files formatted"

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
