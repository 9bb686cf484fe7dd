// Each test starts hosts that train or classify on both cores; one at a time keeps them honest and the metrics unmixed.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
