// The suites share one broker node and both cores: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
