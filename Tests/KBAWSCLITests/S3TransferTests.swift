import KBCloud
import KBJSON
import Testing

@testable import KBAWSCLI

/// `aws s3 cp/mv --recursive`, `mv`, `rm`, `sync`, `mb` and `rb`, run against
/// the engine, printing what the CLI prints.
@Suite struct S3TransferTests {
    /// A bucket with three objects: two ledgers and a note.
    static func world() throws -> CLIWorld {
        let world = try CLIWorld()
        #expect(world.run("s3 mb s3://example-ledgers").stdout == "make_bucket: example-ledgers\n")
        for key in ["ledgers/2019.csv", "ledgers/2020.csv", "ledgers/notes.txt"] {
            #expect(world.run("s3 cp report.csv s3://example-ledgers/\(key) --quiet").status == 0)
        }
        return world
    }

    @Test("cp --recursive copies every object under the prefix, with new encryption")
    func copyRecursive() throws {
        let world = try Self.world()
        let key = try world.json(world.run("kms create-key"))["KeyMetadata"]?["Arn"]?.string ?? ""
        let result = world.run(
            "s3 cp s3://example-ledgers/ledgers s3://example-ledgers/ledgers/ --recursive --sse aws:kms --sse-kms-key-id \(key)"
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                copy: s3://example-ledgers/ledgers/2019.csv to s3://example-ledgers/ledgers/2019.csv
                copy: s3://example-ledgers/ledgers/2020.csv to s3://example-ledgers/ledgers/2020.csv
                copy: s3://example-ledgers/ledgers/notes.txt to s3://example-ledgers/ledgers/notes.txt

                """)
        let head = world.run("s3api head-object --bucket example-ledgers --key ledgers/notes.txt")
        #expect(try world.json(head)["SSEKMSKeyId"]?.string == key)
    }

    @Test(
        "--exclude and --include: the last matching pattern decides",
        arguments: [
            ("--exclude *.txt", ["2019.csv", "2020.csv"]),
            ("--exclude * --include 2019*", ["2019.csv"]),
            ("--include 2019* --exclude *", []),
            ("--exclude 20?[0].csv", ["2019.csv", "notes.txt"]),
            ("--exclude 20[12]?.csv", ["notes.txt"]),
            ("--exclude [!n]*", ["notes.txt"]),
        ])
    func filters(options: String, kept: [String]) throws {
        let world = try Self.world()
        let result = world.run("s3 cp s3://example-ledgers/ledgers/ ./out --recursive \(options)")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.writtenFiles.keys.sorted() == kept.map { "./out/\($0)" }, "\(options)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == kept.map { "download: s3://example-ledgers/ledgers/\($0) to ./out/\($0)" })
    }

    @Test("rm, mv and sync; --dryrun changes nothing")
    func removeMoveSync() throws {
        let world = try Self.world()
        #expect(
            world.run("s3 rm s3://example-ledgers/ledgers/ --recursive --dryrun").stdout.hasPrefix("(dryrun) delete:"))
        #expect(
            world.run("s3 mv s3://example-ledgers/ledgers/notes.txt s3://example-ledgers/notes.txt").stdout
                == "move: s3://example-ledgers/ledgers/notes.txt to s3://example-ledgers/notes.txt\n")
        let synced = world.run("s3 sync s3://example-ledgers/ledgers s3://example-ledgers/backup")
        #expect(synced.stdout.split(separator: "\n").count == 2)
        // Nothing changed since: a second sync copies nothing.
        #expect(world.run("s3 sync s3://example-ledgers/ledgers s3://example-ledgers/backup").stdout == "")
        #expect(
            world.run("s3 rm s3://example-ledgers/backup/2019.csv").stdout
                == "delete: s3://example-ledgers/backup/2019.csv\n")
        let listing = world.run("s3 ls s3://example-ledgers --recursive").stdout
        #expect(listing.contains("backup/2020.csv") && !listing.contains("backup/2019.csv"))
        #expect(listing.contains(" notes.txt") && !listing.contains("ledgers/notes.txt"))
    }

    @Test("rb refuses a bucket with objects; --force deletes them first")
    func removeBucket() throws {
        let world = try Self.world()
        let refused = world.run("s3 rb s3://example-ledgers")
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("remove_bucket failed: s3://example-ledgers An error occurred (BucketNotEmpty)"))
        let forced = world.run("s3 rb s3://example-ledgers --force")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(
            forced.stdout.hasSuffix("delete: s3://example-ledgers/ledgers/notes.txt\nremove_bucket: example-ledgers\n"))
        #expect(world.run("s3 ls s3://example-ledgers").status != 0)
        // The name is free again.
        #expect(world.run("s3 mb s3://example-ledgers").status == 0)
        #expect(world.run("s3 mb s3://example-ledgers").stderr.contains("BucketAlreadyOwnedByYou"))
    }

    @Test("a denied object fails its line and the command (exit 1); the others still run")
    func partialFailure() throws {
        let world = try Self.world()
        let result = world.run("s3 rm s3://example-ledgers/ledgers/ --recursive --profile partner")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("when calling the ListObjectsV2 operation")
                || result.stderr.contains("delete failed"))
        #expect(world.run("s3 cp ./dir s3://example-ledgers/ --recursive").unsupported)
    }
}
