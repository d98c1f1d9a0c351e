// Source and watcher tests time real streams and run the nets on a 2-core machine: one collection at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
