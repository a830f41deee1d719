-- ****** Begin: Script to be run at Primary: [{{primary}}] ******
-- [{{log_shipping}}] step 1: SQL Server Agent must be running (sys.dm_server_services: SQL Server 2008 R2 SP1 or later)
IF NOT EXISTS (SELECT 1 FROM sys.dm_server_services
               WHERE servicename LIKE N'SQL Server Agent%' AND status_desc = N'Running')
    RAISERROR (N'SQL Server Agent is not running on this instance', 16, 1);
GO

-- Before [{{log_shipping}}] steps 2-8: the backup folder is the log-shipping share on {{share_host}},
-- in the standby site, so that failover still reaches the log backups. It is not on this server, so its
-- network path is the backup directory too, which step 7 allows only when SQL Server does not run as
-- Local System.
IF EXISTS (SELECT 1 FROM sys.dm_server_services
           WHERE process_id = CONVERT(int, SERVERPROPERTY('ProcessID'))
             AND service_account IN (N'LocalSystem', N'NT AUTHORITY\SYSTEM'))
    RAISERROR (N'SQL Server runs as Local System on this instance; it cannot write log backups to %s', 16, 1, {{backup_share_sql}});
GO

-- [{{log_shipping}}] steps 2-8: enable {{database}} as a primary database in a log shipping configuration;
-- delete files older than 72 hours; alert if no backup occurs within 60 minutes.
-- [{{log_shipping}}] step 10: compression = use the default server setting (2).
DECLARE @LS_BackupJobId uniqueidentifier, @LS_PrimaryId uniqueidentifier;
DECLARE @LS_BackupScheduleId int, @RetCode int;
EXEC @RetCode = master.dbo.sp_add_log_shipping_primary_database
    @database = {{database_sql}},
    @backup_directory = {{backup_share_sql}},
    @backup_share = {{backup_share_sql}},
    @backup_job_name = {{backup_job_sql}},
    @backup_retention_period = 4320,
    @backup_compression = 2,
    @backup_threshold = 60,
    @threshold_alert_enabled = 1,
    @history_retention_period = 5760,
    @backup_job_id = @LS_BackupJobId OUTPUT,
    @primary_id = @LS_PrimaryId OUTPUT,
    @overwrite = 1;
IF @@ERROR <> 0 OR @RetCode <> 0
BEGIN
    RAISERROR (N'sp_add_log_shipping_primary_database failed for %s', 16, 1, {{database_sql}});
    RETURN;
END

-- [{{log_shipping}}] step 9: backup job schedule, every {{interval}} minutes
EXEC msdb.dbo.sp_add_schedule
    @schedule_name = {{backup_schedule_sql}},
    @enabled = 1,
    @freq_type = 4,
    @freq_interval = 1,
    @freq_subday_type = 4,
    @freq_subday_interval = {{interval}},
    @schedule_id = @LS_BackupScheduleId OUTPUT;
EXEC msdb.dbo.sp_attach_schedule @job_id = @LS_BackupJobId, @schedule_id = @LS_BackupScheduleId;
EXEC msdb.dbo.sp_update_job @job_id = @LS_BackupJobId, @enabled = 1;
EXEC master.dbo.sp_add_log_shipping_alert_job;
GO

-- [{{log_shipping}}] steps 11-13: secondary server instance {{secondary}}, secondary database {{database}}
EXEC master.dbo.sp_add_log_shipping_primary_secondary
    @primary_database = {{database_sql}},
    @secondary_server = {{secondary_sql}},
    @secondary_database = {{database_sql}},
    @overwrite = 1;
GO
-- ****** End: Script to be run at Primary: [{{primary}}] ******
