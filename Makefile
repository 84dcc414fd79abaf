# Build, install, regenerate docs, test. The commands are the executable
# targets (Sources/<cmd>/main.swift); release builds link the Swift runtime
# statically so each command starts in about a millisecond.
# `make install` installs what is built (BINARIES, default .build/release) and
# builds only when a binary is missing there, so `make build && sudo make
# install` never builds as root.
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift

COMMANDS := $(sort $(patsubst Sources/%/main.swift,%,$(wildcard Sources/*/main.swift)))
BINDIR := $(DESTDIR)$(PREFIX)/bin
MANDIR := $(DESTDIR)$(PREFIX)/share/man
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
BINARIES ?= .build/release

.PHONY: all build install uninstall docs test

all: build

build:
	SWIFT=$(SWIFT) scripts/build-release

install:
	@for cmd in $(COMMANDS); do \
	  if [ ! -x $(BINARIES)/$$cmd ]; then \
	    if [ "$(BINARIES)" != .build/release ]; then echo "make: $(BINARIES)/$$cmd is missing" >&2; exit 1; fi; \
	    echo "$(SWIFT) build -c release --static-swift-stdlib"; $(SWIFT) build -c release --static-swift-stdlib || exit 1; break; \
	  fi; \
	done
	install -d $(BINDIR) $(MANDIR)/man1 $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	for cmd in $(COMMANDS); do \
	  install -m 755 $(BINARIES)/$$cmd $(BINDIR)/$$cmd && \
	  install -m 644 man/$$cmd.1 $(MANDIR)/man1/$$cmd.1 && \
	  install -m 644 completions/bash/$$cmd $(BASHDIR)/$$cmd && \
	  install -m 644 completions/zsh/_$$cmd $(ZSHDIR)/_$$cmd && \
	  install -m 644 completions/fish/$$cmd.fish $(FISHDIR)/$$cmd.fish || exit 1; \
	done
	if [ -f man/logkit.7 ]; then \
	  install -d $(MANDIR)/man7 && install -m 644 man/logkit.7 $(MANDIR)/man7/logkit.7; \
	fi

uninstall:
	for cmd in $(COMMANDS); do \
	  rm -f $(BINDIR)/$$cmd $(MANDIR)/man1/$$cmd.1 $(BASHDIR)/$$cmd $(ZSHDIR)/_$$cmd $(FISHDIR)/$$cmd.fish; \
	done
	rm -f $(MANDIR)/man7/logkit.7

docs:
	scripts/generate-docs

test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
