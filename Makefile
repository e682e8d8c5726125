# VisionHeadsWarehouse — thin wrappers over `vhw`. Newcomers: `make demo`, `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

CONFIG    ?= Release
DOTNET    ?= dotnet
BIN       := cli/Vhw.Cli/bin/$(CONFIG)/net10.0
VHW       := $(DOTNET) $(BIN)/vhw.dll
DEFAULT   ?= artifacts/default
WAREHOUSE ?= warehouse
REPORTS   ?= reports/out
MODEL     := $(DEFAULT)/models/tiny-llava-vicuna
BENCHMARK := $(DEFAULT)/benchmarks/synthetic-pope
ZOO       ?= artifacts/zoo
ZOO_FIXTURES ?= zoo/models
ZOO_LIMIT ?= 100
ZOO_BENCHMARKS := pope-like mmbench-like seed-like qbench-like pointqa-like
# shipped zoo members: the trained folders (they hold training.json) and their -init untrained controls
ZOO_TRAINED := $(patsubst %/training.json,%,$(wildcard $(ZOO_FIXTURES)/*/training.json))
ZOO_MEMBERS := $(ZOO_TRAINED) $(wildcard $(addsuffix -init,$(ZOO_TRAINED)))
BENCH_FACTS ?= 250M
BENCH_REPLICATES ?= 20
TEST_LOG  ?= artifacts/test.log
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: help build default ingest zoo-ingest transform reports demo test faults bench zoo findings clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

build: ## build everything (TorchSharp-cpu; -p:TorchBackend=cuda for CUDA)
	$(DOTNET) build VisionHeadsWarehouse.sln -c $(CONFIG) -nologo -clp:ErrorsOnly

$(MODEL)/config.json: | build
	$(VHW) default --out $(DEFAULT)

default: build $(MODEL)/config.json ## create the embedded default (tiny model + synthetic benchmark)

ingest: default ## run the default model over the default benchmark into $(WAREHOUSE)/
	$(VHW) ingest --model $(MODEL) --benchmark $(BENCHMARK) --warehouse $(WAREHOUSE)

zoo-ingest: build ## the shipped zoo members ($(ZOO_FIXTURES): trained + -init controls) on the five zoo test benchmarks, ZOO_LIMIT samples each, into $(WAREHOUSE)/
ifneq ($(strip $(ZOO_TRAINED)),)
	$(VHW) zoo --test-data-only --root $(ZOO)
	$(VHW) ingest $(addprefix --model ,$(ZOO_MEMBERS)) $(addprefix --benchmark $(ZOO)/data/test/,$(ZOO_BENCHMARKS)) \
		--limit $(ZOO_LIMIT) --warehouse $(WAREHOUSE)
else
	@echo "no trained zoo member (training.json) in $(ZOO_FIXTURES)/: zoo ingest skipped"
endif

transform: ## build warehouse.duckdb (raw views, staging, intermediate, marts)
	$(VHW) transform --warehouse $(WAREHOUSE)

reports: ## write $(REPORTS)/report.md and report.html from the warehouse
	$(VHW) report --warehouse $(WAREHOUSE) --out $(REPORTS)

demo: ingest zoo-ingest ## the main job: the embedded default, then the shipped trained zoo on its benchmarks → transform → report
	$(MAKE) --no-print-directory transform reports
	@echo "demo done: $(WAREHOUSE)/ (Parquet + warehouse.duckdb), $(REPORTS)/report.md, $(REPORTS)/report.html"

test: ## build and run every test (the log goes to $(TEST_LOG); on failure each failed test's message is repeated last)
	$(DOTNET) build VisionHeadsWarehouse.sln -c $(CONFIG) -nologo -clp:ErrorsOnly
	@mkdir -p $(dir $(TEST_LOG))
	set -o pipefail; $(DOTNET) test VisionHeadsWarehouse.sln -c $(CONFIG) --no-build -nologo 2>&1 | tee $(TEST_LOG) \
	  || { tests/failure-summary.sh $(TEST_LOG); exit 1; }

faults: ## only the fault-injection / reliability tests (also part of `make test`)
	$(DOTNET) build VisionHeadsWarehouse.sln -c $(CONFIG) -nologo -clp:ErrorsOnly
	$(DOTNET) test tests/Vhw.Ingest.Tests -c $(CONFIG) --no-build -nologo --filter "FullyQualifiedName~Reliability"

bench: build ## capture overhead, storage per fact, transforms + report on a synthetic warehouse (BENCH_FACTS=250M: ~6 GB in the temp folder, removed); writes BENCHMARKS.md
	$(VHW) bench --out BENCHMARKS.md --facts $(BENCH_FACTS) --bootstrap-replicates $(BENCH_REPLICATES)

zoo: build ## train (or resume) the tiny LLaVA zoo on synthetic VQA (one thread per model); finished models → $(ZOO_FIXTURES)/
	$(VHW) zoo --root $(ZOO) --fixtures $(ZOO_FIXTURES)

findings: build ## measure the shipped zoo ($(ZOO_FIXTURES)): accuracy vs chance, head lifts vs controls, visual-head ablation → docs/zoo-findings.md (after a retrain: FINDINGS_ARGS=--write-shortfalls)
	$(VHW) zoo-findings --models $(ZOO_FIXTURES) --out docs/zoo-findings.md $(FINDINGS_ARGS)

clean: ## remove build outputs and generated data
	rm -rf artifacts $(WAREHOUSE) $(REPORTS)
	$(DOTNET) clean VisionHeadsWarehouse.sln -c $(CONFIG) -nologo -v q
