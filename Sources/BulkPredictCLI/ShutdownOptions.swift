import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

/// How long a long-running process (`serve`, `worker`) may take to stop after SIGTERM or SIGINT.
///
/// A graceful stop gives running tasks back and lets HTTP connections finish. A database that
/// stops answering (a frozen server, a partition that drops packets without closing the
/// connection) would leave a call waiting for ever, and with it the whole process: an autoscaler
/// scaling in, or a rolling deploy, would wait on it. The stop is therefore bounded: after the
/// drain the work is cancelled, and a process that has still not ended a few seconds later exits
/// anyway, saying so. Nothing is lost by that: its leases run out and its tasks run elsewhere,
/// as after a crash.
struct ShutdownOptions: ParsableArguments {
    @Option(
        help:
            "On SIGTERM or SIGINT: seconds to stop gracefully (give running tasks back, let open connections finish, finish a merge in progress); then the work is cancelled, and if the process has still not ended 10 s later (a database that does not answer, a merge still writing), it exits with status 1."
    )
    var drain: Double = 30

    /// What cancelled work gets to end before the process exits regardless.
    static let cancellationGrace: Duration = .seconds(10)

    func validate() throws {
        guard drain >= 0, drain <= 86_400 else { throw ValidationError("--drain must be between 0 and 86400 seconds") }
    }

    /// A service group configuration for `services`, with a graceful stop bounded by the drain
    /// and a watchdog that ends the process if even cancelling does not.
    func configuration(
        services: [ServiceGroupConfiguration.ServiceConfiguration], logger: Logger
    ) -> ServiceGroupConfiguration {
        let drain = Duration.milliseconds(Int64(drain * 1000))
        // The group stops its services in reverse order, so the watchdog, last, hears of the stop
        // first and starts its clock at once.
        let watchdog = ShutdownWatchdog(limit: drain + Self.cancellationGrace, logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: services + [.init(service: watchdog, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = drain
        return configuration
    }
}

/// Waits for the process to be asked to stop, then gives it `limit` to do so before ending it.
struct ShutdownWatchdog: Service {
    let limit: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let limit = limit
        let logger = logger
        // Detached: the service itself ends now, so that the group goes on stopping the others.
        Task.detached {
            try? await Task.sleep(for: limit)
            logger.critical(
                "still not stopped \(limit) after being asked to (a database that does not answer, or a merge still writing); exiting now — tasks and merges this process held run again elsewhere once their leases run out"
            )
            // Straight out: running exit handlers while the event loops still run could crash
            // instead of exiting with the status promised here.
            fflush(nil)
            _exit(1)
        }
    }
}
