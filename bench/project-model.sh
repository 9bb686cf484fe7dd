# Sourced by bench/lib.sh and bench/uploads: the project's model for the benches, trained once from the seed's Job
# arguments (one epoch) into $1 and kept there (bench/.work) for the next run. Needs the Trainer built.
project_model() {
  [ -f "$1" ] || Services/Trainer/bin/Release/net10.0/MnistEvents.Trainer --epochs 1 --log-interval 100000 --save-model --save-model-path "$1" >/dev/null
}
