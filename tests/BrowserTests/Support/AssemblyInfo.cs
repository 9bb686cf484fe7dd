// One browser test at a time: each drives Chromium against services that want both cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
