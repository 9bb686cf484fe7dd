// One topology, one broker node that some tests restart: the fault tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
